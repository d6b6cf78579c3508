// Checks that the kernel and our privileges allow loading the socket tracer,
// so that a user sees what is missing instead of a bare EPERM from libbpf.

import { existsSync, readFileSync } from "node:fs";

export const NOT_PRIVILEGED_MESSAGE = "periscope-agent must run as root (CAP_BPF and CAP_PERFMON needed)";
export const BTF_PATH = "/sys/kernel/btf/vmlinux";

// Capability bit numbers (linux/capability.h).
const CAP_SYS_ADMIN = 21n;
const CAP_PERFMON = 38n;
const CAP_BPF = 39n;

/** What the checks look at; tests pass their own. */
export interface SystemProbe {
  uid(): number;
  /** CapEff from /proc/self/status as hex, or undefined when unreadable. */
  effectiveCapabilitiesHex(): string | undefined;
  fileExists(path: string): boolean;
  /** Mounts tracefs if needed: "" on success, otherwise why not. */
  ensureTracefs(): string;
}

export function hostSystemProbe(ensureTracefs: () => string): SystemProbe {
  return {
    uid: () => process.getuid?.() ?? -1,
    effectiveCapabilitiesHex: () => {
      try {
        return /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
      } catch {
        return undefined;
      }
    },
    fileExists: existsSync,
    ensureTracefs,
  };
}

function hasCapability(capabilitiesHex: string | undefined, bit: bigint): boolean {
  return capabilitiesHex !== undefined && ((BigInt(`0x${capabilitiesHex}`) >> bit) & 1n) === 1n;
}

/**
 * Whether BPF programs and tracepoint perf events may be created. The
 * effective capabilities decide (uid 0 in a restricted container may lack
 * them); uid 0 is trusted only when they cannot be read.
 */
export function isPrivileged(probe: SystemProbe): boolean {
  const caps = probe.effectiveCapabilitiesHex();
  if (caps === undefined) return probe.uid() === 0;
  if (hasCapability(caps, CAP_SYS_ADMIN)) return true;
  return hasCapability(caps, CAP_BPF) && hasCapability(caps, CAP_PERFMON);
}

/** Throws an Error with a message a user can act on when something is missing. */
export function assertKernelPrerequisites(probe: SystemProbe): void {
  if (!isPrivileged(probe)) throw new Error(NOT_PRIVILEGED_MESSAGE);
  if (!probe.fileExists(BTF_PATH)) {
    throw new Error(
      `kernel BTF not found at ${BTF_PATH}: periscope-agent needs a kernel built with CONFIG_DEBUG_INFO_BTF=y (CO-RE relocations)`,
    );
  }
  const tracefsProblem = probe.ensureTracefs();
  if (tracefsProblem !== "") throw new Error(`tracefs is not available: ${tracefsProblem}`);
}
