// Applies a RuntimeConfig to the kernel's maps (capture_config, pid_filter,
// cgroup_filter) with no restart, and keeps the version the agent reports.
// apply() is the entry point for the local API and the collector's control
// stream alike.

import { FilterFlag, FilterMark, SYSCALL_SLOTS } from "../capture/layout.js";
import type { NativeCaptureControls } from "../native/native.js";
import { cgroupIdOf } from "./cgroup-ids.js";
import {
  CAPTURE_SYSCALL_CODES,
  type CaptureSyscall,
  defaultRuntimeConfig,
  PROTOCOL_CODES,
  type ProtocolKey,
  parseRuntimeConfig,
  type RuntimeConfig,
  RuntimeConfigError,
} from "./runtime-config.js";

/** What RuntimeControls writes to: SocketTracer in the agent, a fake in unit tests. */
export interface ControlTarget {
  setControls(controls: NativeCaptureControls): void;
  replaceFilter(which: "pid" | "cgroup", entries: Array<[bigint, number]>): void;
}

/** The kernel's view of a config: what capture_config and the filter maps must hold. */
export interface KernelControls {
  controls: NativeCaptureControls;
  pidFilter: Array<[bigint, number]>;
  cgroupFilter: Array<[bigint, number]>;
}

function marks(include: readonly bigint[], exclude: readonly bigint[]): Array<[bigint, number]> {
  const bits = new Map<bigint, number>();
  for (const key of include) bits.set(key, (bits.get(key) ?? 0) | FilterMark.Include);
  for (const key of exclude) bits.set(key, (bits.get(key) ?? 0) | FilterMark.Exclude);
  return [...bits];
}

/**
 * Translates a validated config; cgroup paths become ids through resolveCgroup.
 * `periscopePids`: Periscope's own processes, excluded unless config.captureSelf.
 */
export function toKernelControls(
  config: RuntimeConfig,
  resolveCgroup: (path: string) => bigint,
  periscopePids: readonly number[] = [],
): KernelControls {
  const captureBytes = new Array<number>(SYSCALL_SLOTS).fill(config.captureBytes.default);
  for (const [name, bytes] of Object.entries(config.captureBytes.perSyscall)) {
    if (bytes !== undefined) captureBytes[CAPTURE_SYSCALL_CODES[name as CaptureSyscall]] = bytes;
  }
  let disabledProtocols = 0;
  for (const [name, on] of Object.entries(config.protocols)) {
    if (!on) disabledProtocols |= 1 << PROTOCOL_CODES[name as ProtocolKey];
  }
  const cgroupIds = (paths: string[], field: string) =>
    paths.map((path, i) => {
      try {
        return resolveCgroup(path);
      } catch (error) {
        throw new RuntimeConfigError(`${field}[${i}]`, (error as Error).message);
      }
    });
  const { cgroups } = config;
  const pids =
    config.captureSelf || periscopePids.length === 0
      ? config.pids
      : { include: config.pids.include, exclude: [...new Set([...config.pids.exclude, ...periscopePids])] };
  let filterFlags = 0;
  if (pids.include.length > 0) filterFlags |= FilterFlag.PidInclude;
  if (pids.exclude.length > 0) filterFlags |= FilterFlag.PidExclude;
  if (cgroups.include.length > 0) filterFlags |= FilterFlag.CgroupInclude;
  if (cgroups.exclude.length > 0) filterFlags |= FilterFlag.CgroupExclude;
  return {
    controls: { captureBytes, disabledProtocols, filterFlags, sampleEvery: config.sampling.keepOneIn },
    pidFilter: marks(pids.include.map(BigInt), pids.exclude.map(BigInt)),
    cgroupFilter: marks(
      cgroupIds(cgroups.include, "cgroups.include"),
      cgroupIds(cgroups.exclude, "cgroups.exclude"),
    ),
  };
}

export class RuntimeControls {
  private version = 0;
  private config: RuntimeConfig = defaultRuntimeConfig();
  private queue: Promise<unknown> = Promise.resolve();
  private periscopePids: number[] = [];
  private readonly listeners: Array<(config: RuntimeConfig) => void> = [];

  constructor(
    private readonly target: ControlTarget,
    private readonly resolveCgroup: (path: string) => bigint = (path) => cgroupIdOf(path),
  ) {}

  /** The config in force and its version (0 until the first apply). */
  current(): { version: number; config: RuntimeConfig } {
    return { version: this.version, config: structuredClone(this.config) };
  }

  /**
   * Validates and writes a config; resolves with its version (one more per
   * apply). Rejects with RuntimeConfigError when the config is invalid or
   * names a cgroup that does not exist; the previous config then stays.
   * Applies run one at a time, in call order.
   */
  apply(config: RuntimeConfig): Promise<{ version: number }> {
    const run = this.queue.then(() => this.write(config));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Called with every config applied from now on (settings used outside the kernel: the record budget). */
  onApply(listener: (config: RuntimeConfig) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Periscope's own processes as the last /proc scan found them: rewrites the
   * pid filter when they changed (not a new config version).
   */
  setPeriscopePids(pids: readonly number[]): Promise<void> {
    const sorted = [...pids].sort((a, b) => a - b);
    if (sorted.join() === this.periscopePids.join()) return Promise.resolve();
    const run = this.queue.then(() => {
      const kernel = toKernelControls(this.config, this.resolveCgroup, sorted);
      this.periscopePids = sorted;
      // Map first, then the exclude flag that puts it in force (the config's own list may be empty).
      this.target.replaceFilter("pid", kernel.pidFilter);
      this.target.setControls(kernel.controls);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private write(input: RuntimeConfig): { version: number } {
    // Re-validated: a caller may hand in an object built by hand.
    const config = parseRuntimeConfig(input);
    const kernel = toKernelControls(config, this.resolveCgroup, this.periscopePids);
    // Filter maps first, then the flags that put them in force.
    this.target.replaceFilter("pid", kernel.pidFilter);
    this.target.replaceFilter("cgroup", kernel.cgroupFilter);
    this.target.setControls(kernel.controls);
    this.config = config;
    this.version += 1;
    for (const listener of this.listeners) listener(config);
    return { version: this.version };
  }
}
