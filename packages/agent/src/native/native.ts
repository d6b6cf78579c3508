// The only module that loads periscope_native.node (built from binding.gyp
// and the .cc files beside this one). It declares what the binding offers.

import { createRequire } from "node:module";
import type { KernelDropCounters } from "../capture/events.js";

/** Where the kernel's BTF and tracefs are; absent: the defaults. */
export interface NativeKernelPaths {
  /** BTF the CO-RE relocations resolve against (libbpf's btf_custom_path); default: the kernel's own. */
  btfPath?: string;
  /** tracefs directory tracepoints are looked up and attached through; default /sys/kernel/tracing, then debugfs's. */
  tracefsPath?: string;
}

/** A program of a BPF object left unloaded because this kernel lacks what it needs. */
export interface SwitchedOffProgram {
  /** The C function, e.g. "on_process_exit". */
  program: string;
  /** Its section, e.g. "tracepoint/sched/sched_process_exit". */
  attachPoint: string;
  /** e.g. "helper bpf_for_each_map_elem missing (Linux 5.13)". */
  reason: string;
}

export interface NativeTracerOptions extends NativeKernelPaths {
  /** Path of socket_trace.bpf.o. */
  bpfObjectPath: string;
  /** Process whose syscalls are never traced: the agent itself. */
  excludeTgid: number;
  /** Payload bytes copied per syscall, 0..maxCaptureBytes. */
  captureBytes: number;
}

/** struct capture_config in bpf/common/socket_trace.h. */
export interface NativeCaptureControls {
  /** One cap per enum source_syscall value (SYSCALL_SLOTS entries). */
  captureBytes: number[];
  /** Bit n: protocol n off. */
  disabledProtocols: number;
  /** FilterFlag bits. */
  filterFlags: number;
  /** Keep 1 in N new connections (0 or 1: all). */
  sampleEvery: number;
}

/**
 * The loaded and attached socket tracer. Its constructor throws an Error
 * naming the failing step and the kernel's reason, for example
 * "attach tracepoint syscalls/sys_enter_read: Permission denied".
 */
export interface NativeTracer {
  /** Changes the capture cap for syscalls from now on (already validated). */
  setCaptureBytes(bytes: number): void;
  /** Rewrites the run-time controls (struct capture_config), already validated. */
  setControls(controls: NativeCaptureControls): void;
  /** Makes pid_filter or cgroup_filter hold exactly these [key, FilterMark bits] rows. */
  replaceFilter(which: "pid" | "cgroup", entries: Array<[bigint, number]>): void;
  /** Stops payload copies of (tgid, fd, generation) until it closes; throws when the map refuses. */
  disableConnection(tgid: number, fd: number, generation: number): void;
  /** Kernel state held for one process (conn_map, disabled_conns entries; traced_tgids). */
  processState(tgid: number): { connections: number; disabled: number; traced: boolean };
  /** Kernel drop counters summed over CPUs. */
  readDropCounters(): KernelDropCounters;
  /**
   * Attaches the TLS uprobes (SSL_read/SSL_write and _ex) to a binary or
   * library exporting them, for every process mapping it; returns the probe
   * count. Throws naming the symbol and reason (e.g. a file without SSL_write).
   */
  attachTls(path: string): number;
  /** The TLS probes' drops: SSL calls not followed (map full), plaintext with no socket found. */
  readTlsDropCounters(): { callsFull: bigint; noSocket: bigint };
  /** Programs not loaded because the kernel lacks a helper or tracepoint they need. */
  switchedOff(): SwitchedOffProgram[];
  /** Keeps the event loop alive while open (the default). */
  ref(): void;
  /** Lets the process exit while the tracer is open. */
  unref(): void;
  /** Stops the poller thread, detaches and unloads. Idempotent. */
  close(): void;
}

export interface NativeTcpHealthOptions extends NativeKernelPaths {
  /** Path of tcp_health.bpf.o. */
  bpfObjectPath: string;
  excludeTgid: number;
  /** Bound of the kernel's per-socket stats map. */
  maxConnections: number;
}

/** tcp_health.bpf.o loaded and attached; constructor errors name the failing step. */
export interface NativeTcpHealth {
  /** Every tracked connection as packed struct tcp_conn_stats records (one batch walk of the map). */
  read(): Buffer;
  /** Closed connections displaced by a new one on their socket since the last call (read and deleted in batches). */
  takeDisplaced(): Buffer;
  /** Frees the kernel entries of these sockets (one batch delete). */
  remove(sockIds: BigUint64Array): void;
  readDropCounters(): { statsMapFull: bigint; closedReplaced: bigint };
  /** Programs not loaded because the kernel lacks a helper or tracepoint they need. */
  switchedOff(): SwitchedOffProgram[];
  close(): void;
}

export interface NativeProfilerOptions extends NativeKernelPaths {
  /** Path of profile.bpf.o. */
  bpfObjectPath: string;
  /** Samples per second per CPU, 1..499; 0 loads without sampling. */
  hz: number;
}

/** profile.bpf.o loaded, sampling every online CPU; constructor errors name the failing step. */
export interface NativeProfiler {
  /** Reopens the perf events at hz (0: off). Throws above 499 or when no CPU could be opened. */
  setRate(hz: number): void;
  rate(): number;
  /** CPUs sampled now. */
  cpus(): number;
  /**
   * Everything counted since the last drain, in one batch, and clears it:
   * cells = packed (struct profile_key, struct profile_value), stacks =
   * [i32 id][u32 depth][u64 address × depth] (see profiler/drain-layout.ts).
   */
  drain(): { cells: Buffer; stacks: Buffer; missingStacks: number };
  /** Cumulative, summed over CPUs (enum profile_drop). */
  readDropCounters(): {
    countsFull: bigint;
    userCollision: bigint;
    kernelCollision: bigint;
    userFault: bigint;
  };
  close(): void;
}

export interface NativeBinding {
  NativeProfiler: new (options: NativeProfilerOptions) => NativeProfiler;
  NativeTcpHealth: new (options: NativeTcpHealthOptions) => NativeTcpHealth;
  NativeTracer: new (
    options: NativeTracerOptions,
    /**
     * Called on the JS thread once per batch of records: [u32 LE length][record]
     * frames. The buffer is owned by the callee (native memory freed on GC).
     */
    onBatch: (batch: Buffer) => void,
  ) => NativeTracer;
  /**
   * With no path, mounts tracefs at /sys/kernel/tracing when none is
   * reachable; a given path (PERISCOPE_TRACEFS_PATH) is only checked.
   * Returns "" or a message naming what failed.
   */
  ensureTracefs(tracefsPath?: string): string;
  /** libbpf's probes: 1 supported, 0 not, negative -errno when the probe itself failed (e.g. no privileges). */
  probeKernel(): { ringBuffer: number; forEachMapElem: number };
  /** PERISCOPE_MAX_CAPTURE from bpf/common/socket_trace.h. */
  maxCaptureBytes: number;
  defaultCaptureBytes: number;
}

/** Where the addon is; PERISCOPE_NATIVE_ADDON overrides (packaged installs). */
export function nativeAddonPath(): string {
  // src/native/ and dist/native/ are both two levels below the package root.
  return (
    process.env.PERISCOPE_NATIVE_ADDON ??
    new URL("../../build/Release/periscope_native.node", import.meta.url).pathname
  );
}

let binding: NativeBinding | undefined;

/** Loads the addon once; throws with a build hint when it is missing. */
export function loadNativeBinding(): NativeBinding {
  if (binding) return binding;
  const path = nativeAddonPath();
  try {
    binding = createRequire(import.meta.url)(path) as NativeBinding;
  } catch (error) {
    throw new Error(
      `load native addon ${path}: ${(error as Error).message} (build it: cd packages/agent && pnpm exec node-gyp rebuild --nodedir=/usr)`,
    );
  }
  return binding;
}
