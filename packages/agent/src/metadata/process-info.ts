// What a record says about the process at each end: command line,
// executable, start time, cgroup and container. Read from /proc once per
// process (at its first connection, while it still exists), cached with a
// bound, and dropped when the process is gone (sweep) or pushed out (LRU).

import { readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { cgroupV2PathOf, containerIdOfProcCgroup } from "./container-id.js";

export interface ProcessInfo {
  pid: number;
  /** Unix epoch ms; with pid, names one process across pid reuse. */
  startTimeMs: number;
  comm: string;
  /** Arguments joined by spaces, cut at MAX_CMDLINE_CHARS. */
  cmdline: string;
  /** Executable path, "" when unreadable (kernel threads, or no permission). */
  exe: string;
  /** cgroup v2 path, "" on a v1-only host. */
  cgroupPath: string;
  /** docker/containerd/cri-o/podman id, "" outside containers. */
  containerId: string;
}

const MAX_CMDLINE_CHARS = 4096;
/** USER_HZ: /proc/<pid>/stat counts start time in these ticks (100 on every Linux ABI). */
const CLOCK_TICKS_PER_SECOND = 100;

export interface ProcessInfoCacheOptions {
  maxProcesses: number;
  /** /proc, or a directory shaped like it (tests). */
  procRoot?: string;
}

export class ProcessInfoCache {
  private readonly entries = new Map<number, ProcessInfo>();
  private readonly procRoot: string;
  private bootTimeMs: number | undefined;
  readonly counters = { read: 0, unreadable: 0, evicted: 0, exited: 0 };

  constructor(private readonly options: ProcessInfoCacheOptions) {
    this.procRoot = options.procRoot ?? "/proc";
  }

  get size(): number {
    return this.entries.size;
  }

  /** Cached info, or read now; undefined when the process is gone or unreadable. */
  get(pid: number): ProcessInfo | undefined {
    const cached = this.entries.get(pid);
    if (cached) {
      // Most recently used last: the first key is the one to evict.
      this.entries.delete(pid);
      this.entries.set(pid, cached);
      return cached;
    }
    const info = this.read(pid);
    if (!info) return undefined;
    this.entries.set(pid, info);
    if (this.entries.size > this.options.maxProcesses) {
      const oldest = this.entries.keys().next().value as number;
      this.entries.delete(oldest);
      this.counters.evicted++;
    }
    return info;
  }

  /**
   * Cached info without reading /proc or refreshing its LRU place: for a per-request
   * lookup (the metric series), where get()'s Map reordering costs more than the fold saves.
   */
  peek(pid: number): ProcessInfo | undefined {
    return this.entries.get(pid);
  }

  /** Drops processes that exited (or whose pid now names another process). */
  sweep(): void {
    for (const [pid, info] of this.entries) {
      if (this.startTicksOf(pid) === undefined || this.read(pid)?.startTimeMs !== info.startTimeMs) {
        this.entries.delete(pid);
        this.counters.exited++;
      }
    }
  }

  private startTicksOf(pid: number): number | undefined {
    try {
      const stat = readFileSync(join(this.procRoot, String(pid), "stat"), "latin1");
      // Fields after the parenthesised comm (which may hold spaces); starttime is field 22.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ticks = Number(fields[19]);
      return Number.isFinite(ticks) ? ticks : undefined;
    } catch {
      return undefined;
    }
  }

  private bootTime(): number {
    if (this.bootTimeMs === undefined) {
      const btime = /^btime (\d+)$/m.exec(readFileSync(join(this.procRoot, "stat"), "latin1"));
      this.bootTimeMs = Number(btime?.[1] ?? 0) * 1000;
    }
    return this.bootTimeMs;
  }

  private read(pid: number): ProcessInfo | undefined {
    const dir = join(this.procRoot, String(pid));
    const ticks = this.startTicksOf(pid);
    if (ticks === undefined) {
      this.counters.unreadable++;
      return undefined;
    }
    const text = (file: string) => {
      try {
        return readFileSync(join(dir, file), "latin1");
      } catch {
        return "";
      }
    };
    let exe = "";
    try {
      exe = readlinkSync(join(dir, "exe"));
    } catch {
      // Kernel threads have none; another user's process needs CAP_SYS_PTRACE.
    }
    const procCgroup = text("cgroup");
    const cgroupPath = cgroupV2PathOf(procCgroup) ?? "";
    this.counters.read++;
    return {
      pid,
      startTimeMs: this.bootTime() + Math.round((ticks * 1000) / CLOCK_TICKS_PER_SECOND),
      comm: text("comm").trim(),
      cmdline: text("cmdline").replace(/\0+$/, "").replaceAll("\0", " ").slice(0, MAX_CMDLINE_CHARS),
      exe,
      cgroupPath,
      containerId: containerIdOfProcCgroup(procCgroup) ?? "",
    };
  }
}
