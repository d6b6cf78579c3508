// The agent's profiling loop: every interval one drain of the kernel maps
// (NativeProfiler), each cell's stacks symbolized and hashed, counts summed
// per (process, stack), and one ProfileSamples handed to the exporter with
// the stacks the collector has not been sent lately.

import { readFileSync } from "node:fs";
import {
  create,
  type ProfileSample,
  ProfileSampleSchema,
  type ProfileSamples,
  ProfileSamplesSchema,
  ProfileStackSchema,
} from "@periscope/proto";
import { containerIdOfProcCgroup } from "../metadata/container-id.js";
import { ProcessNames } from "../metadata/process-names.js";
import type { NativeProfiler } from "../native/native.js";
import {
  decodeCells,
  FLAG_IDLE,
  FLAG_KTHREAD,
  indexStacks,
  stackAddresses,
  stackKey,
} from "./drain-layout.js";
import { type StackFrames, stackFrames, stackHash } from "./stack-frames.js";
import { type FrameName, type ProcessView, type Symbolizer, viewVersion } from "./symbolizer.js";

/** Stacks the collector was sent, remembered this many at most… */
const MAX_SENT_STACKS = 50_000;
/** …and sent again after this long, so the collector's copy (TTL by last_seen) stays fresh. */
const RESEND_STACK_AFTER_MS = 60 * 60 * 1000;
const MAX_KERNEL_NAMES = 200_000;
const MAX_KEPT_PROCESSES = 4096;
const MAX_BUILT_STACKS = 50_000;

export interface ProfilerCounters {
  drains: number;
  samples: number;
  /** Real frames (not synthetic markers), weighted by samples. */
  frames: number;
  symbolizedFrames: number;
  stacksSent: number;
  /** Referenced by a cell but gone from the kernel map (should stay 0: the generations swap). */
  stacksMissing: number;
  drainErrors: number;
  lastDrainMs: number;
}

/** What /v1/stats and /metrics show of the profiler. */
export interface ProfilerStats {
  rateHz: number;
  samples: number;
  /** Real frames resolved to a name, over every sample so far (0..1). */
  symbolizedShare: number;
  stacksSent: number;
  drainErrors: number;
  lastDrainMs: number;
  /** The kernel's: samples with no room for their cell, stacks whose bucket held another, user stacks unreadable. */
  kernelDrops: { countsFull: number; stackCollisions: number; userFault: number };
  /** Symbolization inputs skipped, by reason (skip-counters.ts). */
  skipped: Record<string, number>;
}

export type NativeProfilerLike = Pick<
  NativeProfiler,
  "drain" | "setRate" | "rate" | "readDropCounters" | "close"
>;

export interface ProfilerOptions {
  intervalMs: number;
  deliver: (profile: ProfileSamples) => void;
  /** The names request records use; default: the profiler's own, read again when a pid is a new process. */
  processNames?: () => ProcessNames;
  /** A process's container id ("" outside containers); default: from /proc/PID/cgroup. */
  containerIdOf?: (pid: number) => string;
  now?: () => number;
}

export class Profiler {
  readonly counters: ProfilerCounters = {
    drains: 0,
    samples: 0,
    frames: 0,
    symbolizedFrames: 0,
    stacksSent: 0,
    stacksMissing: 0,
    drainErrors: 0,
    lastDrainMs: 0,
  };
  private readonly sent = new Map<bigint, number>();
  /** Kept across drains (kernel text does not move while the agent runs), bounded. */
  private readonly kernelNames = new Map<bigint, FrameName>();
  /** Names and container ids by pid, kept while the symbolizer knows the pid as the same process. */
  private readonly processNames = new ProcessNames();
  private readonly containerIds = new Map<number, string>();
  /** Stacks built in earlier intervals whose names are settled, by process and raw addresses. */
  private readonly builtStacks = new Map<string, StackFrames & { hash: bigint }>();
  private readonly timer: NodeJS.Timeout;
  private lastDrainAt: number;
  private lastOnRate = 0;
  private readonly now: () => number;

  constructor(
    private readonly native: NativeProfilerLike,
    readonly symbolizer: Symbolizer,
    private readonly options: ProfilerOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.lastDrainAt = this.now();
    this.timer = setInterval(() => this.report(), options.intervalMs);
    this.timer.unref();
  }

  get rate(): number {
    return this.native.rate();
  }

  /** Run-time change (0: off). The samples of the current interval are sent first, at the old rate. */
  setRate(hz: number): void {
    this.report();
    const before = this.native.rate();
    if (before > 0) this.lastOnRate = before;
    this.native.setRate(hz);
  }

  /** Drains and delivers; an error (a kernel refusal) is counted and logged, the loop goes on. */
  report(): void {
    try {
      const profile = this.collect();
      if (profile !== undefined) this.options.deliver(profile);
    } catch (error) {
      this.counters.drainErrors++;
      console.error(`periscope-agent: profiler: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** One interval: undefined when nothing was sampled. */
  collect(): ProfileSamples | undefined {
    const started = performance.now();
    // Switched off since the last drain: what is left was sampled at the rate before (the collector refuses 0 Hz).
    const rateHz = this.native.rate() || this.lastOnRate;
    const drained = this.native.drain();
    const nowMs = this.now();
    const startMs = this.lastDrainAt;
    this.lastDrainAt = nowMs;
    this.counters.drains++;
    this.counters.stacksMissing += drained.missingStacks;
    const cells = decodeCells(drained.cells);
    if (cells.length === 0) return undefined;
    const stacks = indexStacks(drained.stacks);
    // NO_STACK (-1) is in no map: undefined, as for a stack the kernel no longer held.
    const addressesOf = (id: number) => {
      const span = stacks.get(id);
      return span === undefined ? undefined : stackAddresses(drained.stacks, span);
    };
    this.symbolizer.beginDrain();
    const names = this.options.processNames?.() ?? this.processNames;
    const views = new Map<number, ProcessView>();
    const containerIdOf = this.options.containerIdOf ?? readContainerId;
    const kernelFrame = (address: bigint) => {
      let name = this.kernelNames.get(address);
      if (name === undefined) {
        name = this.symbolizer.kernelFrame(address);
        // Unresolved while kallsyms loads: asked again next time.
        if (name.symbolized) {
          if (this.kernelNames.size >= MAX_KERNEL_NAMES) this.kernelNames.clear();
          this.kernelNames.set(address, name);
        }
      }
      return name;
    };
    const unknownFrame = (): FrameName => ({ name: "[unknown]", symbolized: false });

    const samples = new Map<string, ProfileSample>();
    const newStacks = new Map<bigint, string[]>();
    for (const cell of cells) {
      const userless = (cell.flags & (FLAG_IDLE | FLAG_KTHREAD)) !== 0;
      let view = views.get(cell.pid);
      if (view === undefined && !userless) {
        view = this.symbolizer.process(cell.pid);
        views.set(cell.pid, view);
        if (view.fresh) {
          // A process the symbolizer had not seen (or a pid reused): read its name and container again.
          names.forget(cell.pid);
          this.containerIds.delete(cell.pid);
        }
      }
      // The same stack of the same process as in an earlier interval: its frames and hash are
      // known, while its maps and perf map are as they were and no file was still loading.
      const userKey = stackKey(drained.stacks, stacks.get(cell.userStackId));
      const kernelKey = stackKey(drained.stacks, stacks.get(cell.kernelStackId));
      const cacheKey = `${cell.pid}\0${viewVersion(view)}\0${cell.flags}\0${userKey}\0${kernelKey}`;
      let built = this.builtStacks.get(cacheKey);
      if (built === undefined) {
        const seen = view;
        const userFrame =
          seen === undefined ? unknownFrame : (address: bigint) => this.symbolizer.userFrame(seen, address);
        const frames = stackFrames(
          cell,
          addressesOf(cell.userStackId),
          addressesOf(cell.kernelStackId),
          userFrame,
          kernelFrame,
        );
        built = { ...frames, hash: stackHash(frames.frames) };
        if (built.final && view?.startTime !== "") {
          if (this.builtStacks.size >= MAX_BUILT_STACKS) this.builtStacks.clear();
          this.builtStacks.set(cacheKey, built);
        }
      }
      this.counters.samples += cell.count;
      this.counters.frames += built.total * cell.count;
      this.counters.symbolizedFrames += built.symbolized * cell.count;

      const hash = built.hash;
      const sentAt = this.sent.get(hash);
      if ((sentAt === undefined || nowMs - sentAt > RESEND_STACK_AFTER_MS) && !newStacks.has(hash)) {
        newStacks.set(hash, built.frames);
      }
      const [process, service] =
        cell.flags & FLAG_IDLE
          ? ["[idle]", "[idle]"]
          : cell.flags & FLAG_KTHREAD
            ? [cell.comm, "[kernel]"]
            : sameName(names.get(cell.pid, cell.comm));
      let containerId = userless ? "" : this.containerIds.get(cell.pid);
      if (containerId === undefined) {
        containerId = containerIdOf(cell.pid);
        if (this.containerIds.size >= MAX_KEPT_PROCESSES) this.containerIds.clear();
        this.containerIds.set(cell.pid, containerId);
      }
      const key = `${cell.pid}\0${process}\0${service}\0${hash}`;
      const sample = samples.get(key);
      if (sample !== undefined) sample.samples += BigInt(cell.count);
      else {
        samples.set(
          key,
          create(ProfileSampleSchema, {
            pid: cell.pid,
            process,
            service,
            stackHash: hash,
            samples: BigInt(cell.count),
            containerId,
          }),
        );
      }
    }
    this.symbolizer.endDrain();
    for (const hash of newStacks.keys()) this.remember(hash, nowMs);
    this.counters.stacksSent += newStacks.size;
    this.counters.lastDrainMs = performance.now() - started;
    return create(ProfileSamplesSchema, {
      startTimeUnixNano: BigInt(startMs) * 1_000_000n,
      intervalNano: BigInt(Math.max(0, nowMs - startMs)) * 1_000_000n,
      rateHz,
      stacks: [...newStacks].map(([hash, frames]) => create(ProfileStackSchema, { hash, frames })),
      samples: [...samples.values()],
    });
  }

  stats(): ProfilerStats {
    let kernel = { countsFull: 0n, userCollision: 0n, kernelCollision: 0n, userFault: 0n };
    try {
      kernel = this.native.readDropCounters();
    } catch {
      // closed: the counters stay zero in this snapshot
    }
    return {
      rateHz: this.native.rate(),
      samples: this.counters.samples,
      symbolizedShare: this.symbolizedShare(),
      stacksSent: this.counters.stacksSent,
      drainErrors: this.counters.drainErrors,
      lastDrainMs: this.counters.lastDrainMs,
      kernelDrops: {
        countsFull: Number(kernel.countsFull),
        stackCollisions: Number(kernel.userCollision + kernel.kernelCollision),
        userFault: Number(kernel.userFault),
      },
      skipped: this.symbolizer.skips.snapshot(),
    };
  }

  /** Share of real frames resolved to a name, over every sample so far (0..1). */
  symbolizedShare(): number {
    return this.counters.frames === 0 ? 0 : this.counters.symbolizedFrames / this.counters.frames;
  }

  /** Sends what was sampled since the last interval, then unloads. */
  stop(): void {
    clearInterval(this.timer);
    this.report();
    this.native.close();
    this.symbolizer.close();
  }

  private remember(hash: bigint, nowMs: number): void {
    this.sent.delete(hash);
    this.sent.set(hash, nowMs);
    if (this.sent.size > MAX_SENT_STACKS) {
      const oldest = this.sent.keys().next().value;
      if (oldest !== undefined) this.sent.delete(oldest);
    }
  }
}

function readContainerId(pid: number): string {
  try {
    return containerIdOfProcCgroup(readFileSync(`/proc/${pid}/cgroup`, "utf8")) ?? "";
  } catch {
    return ""; // gone since the sample
  }
}

function sameName(name: string): [string, string] {
  return [name, name];
}
