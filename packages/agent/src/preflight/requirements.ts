// What the agent needs from its node, judged from facts gathered once at
// start (node-facts.ts): everything missing is named in one report, split
// into what makes capture impossible and what only switches a feature off.
// Pure: tests pass their own facts.

/** A stable name per capture feature; AgentInfo.capture_problems[].feature carries it. */
export type CaptureFeature =
  | "capture"
  | "tcp_health"
  | "tls"
  | "process_exit_close"
  | "container_ids"
  | "process_lookup"
  | "profiler";

export interface Finding {
  feature: CaptureFeature;
  /** What is missing and what to do, one sentence an operator can act on. */
  reason: string;
}

export interface PreflightReport {
  /** Any of these: the agent cannot capture at all and exits. */
  fatal: Finding[];
  /** The agent runs with these features off, reported in its log and health. */
  degraded: Finding[];
}

/** BTF at the configured (or default) path, as read from its first bytes. */
export type BtfState = "ok" | "missing" | "empty" | "not-btf" | "unreadable";

export interface NodeFacts {
  /** uname -r */
  kernelRelease: string;
  uid: number;
  /** CapEff from /proc/self/status (hex), undefined when unreadable. */
  effectiveCapabilitiesHex: string | undefined;
  /** RLIMIT_MEMLOCK hard limit is unlimited (undefined: unknown). */
  memlockUnlimited: boolean | undefined;
  /** /proc/self/status readable. */
  procfs: boolean;
  btf: { path: string; configured: boolean; state: BtfState };
  /** "" when tracefs is usable at `path`, else why not (mount refused, not found). */
  tracefs: { path: string; configured: boolean; problem: string };
  /** events/syscalls/sys_enter_read exists (undefined: tracefs unusable, so unknown). */
  syscallTracepoints: boolean | undefined;
  /** The tracepoints TCP health attaches to that tracefs lacks, as "category:name". */
  missingTcpTracepoints: string[];
  /** events/sched/sched_process_exit exists (undefined: unknown). */
  processExitTracepoint: boolean | undefined;
  /** The uprobe PMU (/sys/bus/event_source/devices/uprobe) exists: TLS uprobes can attach. */
  uprobes: boolean;
  /** What is mounted at /sys/fs/cgroup. */
  cgroupFs: "v2" | "v1" | "none";
  /** libbpf probes (1 yes, 0 no, < 0 could not tell); undefined when the addon did not load. */
  probes: { ringBuffer: number; forEachMapElem: number } | undefined;
  /** Why the native addon did not load ("" when it did). */
  addonProblem: string;
  /** The BPF objects and whether they exist. */
  socketTraceObject: { path: string; exists: boolean };
  tcpHealthObject: { path: string; exists: boolean };
}

// Capability bit numbers (include/uapi/linux/capability.h).
const CAP_SYS_PTRACE = 19n;
const CAP_SYS_ADMIN = 21n;
const CAP_SYS_RESOURCE = 24n;
const CAP_PERFMON = 38n;
const CAP_BPF = 39n;

/** The floor: BPF ring buffers, Linux 5.8 (bpf/lib/kernel_compat.h). */
export const KERNEL_FLOOR: readonly [number, number] = [5, 8];

export const TCP_HEALTH_TRACEPOINTS = [
  "sock:inet_sock_set_state",
  "tcp:tcp_probe",
  "tcp:tcp_retransmit_skb",
  "tcp:tcp_send_reset",
  "tcp:tcp_receive_reset",
] as const;

function hasCapability(hex: string | undefined, bit: bigint): boolean | undefined {
  if (hex === undefined) return undefined;
  return ((BigInt(`0x${hex}`) >> bit) & 1n) === 1n;
}

/** [major, minor] of a release like "6.1.0-57-arm64"; undefined when unparsable. */
export function kernelVersion(release: string): [number, number] | undefined {
  const match = /^(\d+)\.(\d+)/.exec(release);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

function below(version: [number, number] | undefined, floor: readonly [number, number]): boolean {
  if (version === undefined) return false;
  return version[0] < floor[0] || (version[0] === floor[0] && version[1] < floor[1]);
}

/**
 * BPF programs and tracepoint perf events may be created: CAP_BPF with
 * CAP_PERFMON (5.8 split them out), or CAP_SYS_ADMIN. uid 0 is trusted only
 * when the capabilities cannot be read.
 */
export function isPrivileged(facts: Pick<NodeFacts, "uid" | "effectiveCapabilitiesHex">): boolean {
  const caps = facts.effectiveCapabilitiesHex;
  if (caps === undefined) return facts.uid === 0;
  if (hasCapability(caps, CAP_SYS_ADMIN)) return true;
  return hasCapability(caps, CAP_BPF) === true && hasCapability(caps, CAP_PERFMON) === true;
}

const BTF_STATE_WORDS: Record<Exclude<BtfState, "ok">, string> = {
  missing: "does not exist",
  empty: "is empty",
  "not-btf": "is not BTF (no 0xeB9F magic)",
  unreadable: "cannot be read",
};

function btfFinding(btf: NodeFacts["btf"]): Finding | undefined {
  if (btf.state === "ok") return undefined;
  const fix = btf.configured
    ? "point PERISCOPE_BTF_PATH at this kernel's BTF (e.g. from BTFHub) or unset it to use /sys/kernel/btf/vmlinux"
    : "the kernel needs CONFIG_DEBUG_INFO_BTF=y, or set PERISCOPE_BTF_PATH to a BTF file for this kernel (e.g. from BTFHub)";
  return {
    feature: "capture",
    reason: `kernel BTF: ${btf.path} ${BTF_STATE_WORDS[btf.state]} — CO-RE relocations need the kernel's type information; ${fix}`,
  };
}

/** Everything missing, in one pass; never stops at the first problem. */
export function checkNode(facts: NodeFacts): PreflightReport {
  const fatal: Finding[] = [];
  const degraded: Finding[] = [];
  const version = kernelVersion(facts.kernelRelease);
  const caps = facts.effectiveCapabilitiesHex;

  if (!isPrivileged(facts)) {
    fatal.push({
      feature: "capture",
      reason:
        "capabilities: periscope-agent must run as root or hold CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN) to load BPF programs",
    });
  }
  if (!facts.procfs) {
    fatal.push({
      feature: "capture",
      reason: "procfs: /proc is not mounted (processes, sockets and capabilities are read there)",
    });
  }
  // The probe is the authority (distribution kernels backport); the version
  // decides only when the probe could not run.
  const ringBuffer = facts.probes?.ringBuffer;
  if (ringBuffer === 0 || ((ringBuffer === undefined || ringBuffer < 0) && below(version, KERNEL_FLOOR))) {
    fatal.push({
      feature: "capture",
      reason: `kernel ${facts.kernelRelease}: BPF ring buffers (BPF_MAP_TYPE_RINGBUF, Linux ${KERNEL_FLOOR.join(".")}) are missing; periscope-agent needs Linux ${KERNEL_FLOOR.join(".")} or later`,
    });
  }
  // Before 5.11 BPF memory is charged to RLIMIT_MEMLOCK (commit 97306be45fbe
  // moved it to memory cgroups); libbpf lifts the limit, which takes CAP_SYS_RESOURCE.
  if (
    below(version, [5, 11]) &&
    hasCapability(caps, CAP_SYS_RESOURCE) === false &&
    facts.memlockUnlimited === false
  ) {
    fatal.push({
      feature: "capture",
      reason: `locked memory: kernel ${facts.kernelRelease} (before 5.11) charges BPF maps to RLIMIT_MEMLOCK; grant CAP_SYS_RESOURCE or run with an unlimited memlock limit (ulimit -l unlimited)`,
    });
  }
  const btf = btfFinding(facts.btf);
  if (btf) fatal.push(btf);
  if (facts.tracefs.problem !== "") {
    fatal.push({
      feature: "capture",
      reason: `tracefs: ${facts.tracefs.problem} — syscall tracepoints are attached through it${facts.tracefs.configured ? "" : " (mount it at /sys/kernel/tracing or set PERISCOPE_TRACEFS_PATH)"}`,
    });
  } else if (facts.syscallTracepoints === false) {
    fatal.push({
      feature: "capture",
      reason: `syscall tracepoints: ${facts.tracefs.path}/events/syscalls is missing (kernel built without CONFIG_FTRACE_SYSCALLS)`,
    });
  }
  if (facts.addonProblem !== "")
    fatal.push({ feature: "capture", reason: `native addon: ${facts.addonProblem}` });
  if (!facts.socketTraceObject.exists) {
    fatal.push({
      feature: "capture",
      reason: `BPF object not found at ${facts.socketTraceObject.path} (build it: make -C bpf; or set PERISCOPE_BPF_OBJECT)`,
    });
  }

  if (!facts.tcpHealthObject.exists) {
    degraded.push({
      feature: "tcp_health",
      reason: `BPF object not found at ${facts.tcpHealthObject.path} (the image must ship tcp_health.bpf.o; or set PERISCOPE_TCP_HEALTH_OBJECT)`,
    });
  } else if (facts.missingTcpTracepoints.length === TCP_HEALTH_TRACEPOINTS.length) {
    degraded.push({
      feature: "tcp_health",
      reason: `tracepoints ${facts.missingTcpTracepoints.join(", ")} are all missing`,
    });
  } else if (facts.missingTcpTracepoints.length > 0) {
    degraded.push({
      feature: "tcp_health",
      reason: `partly: tracepoints ${facts.missingTcpTracepoints.join(", ")} are missing, so their figures stay zero`,
    });
  }
  if (facts.processExitTracepoint === false || facts.probes?.forEachMapElem === 0) {
    const missing =
      facts.processExitTracepoint === false
        ? "tracepoint sched:sched_process_exit is missing"
        : "helper bpf_for_each_map_elem is missing (Linux 5.13)";
    degraded.push({
      feature: "process_exit_close",
      reason: `${missing}: connections of a process that exits without close() end when found idle (5 min), not at its exit`,
    });
  }
  if (!facts.uprobes) {
    degraded.push({
      feature: "tls",
      reason:
        "uprobes: /sys/bus/event_source/devices/uprobe is missing (CONFIG_UPROBE_EVENTS): no TLS plaintext",
    });
  }
  if (facts.cgroupFs === "none") {
    degraded.push({
      feature: "container_ids",
      reason: "cgroup fs: nothing mounted at /sys/fs/cgroup: records carry no container id",
    });
  }
  if (hasCapability(caps, CAP_SYS_PTRACE) === false) {
    degraded.push({
      feature: "process_lookup",
      reason:
        "CAP_SYS_PTRACE: /proc/<pid>/fd and maps of other users' processes cannot be read: their older sockets keep no process and their TLS libraries are not found",
    });
  }
  return { fatal, degraded };
}

/** One message naming everything missing; "" when nothing is. */
export function preflightMessage(report: PreflightReport, kernelRelease: string): string {
  const lines: string[] = [];
  if (report.fatal.length > 0) {
    lines.push(`cannot start tracing on this node (kernel ${kernelRelease}); missing:`);
    for (const finding of report.fatal) lines.push(`  - ${finding.reason}`);
  }
  if (report.degraded.length > 0) {
    lines.push(
      report.fatal.length > 0 ? "and would run without:" : `running without (kernel ${kernelRelease}):`,
    );
    for (const finding of report.degraded) lines.push(`  - ${finding.feature}: ${finding.reason}`);
  }
  return lines.join("\n");
}
