// Attaches the TLS uprobes to every OpenSSL file processes use: at start for
// all processes, then every scan for processes that appeared since (a /proc
// scan rather than an exec tracepoint: a new process matters only when it
// maps a file not attached yet, and that is known only once it has mapped it).
// Limit: a process is read once, soon after it appears; a libssl it dlopen()s
// later (Python's ssl module on first import) is found only through another
// process that maps the same file.
import type { KernelEvent } from "../capture/events.js";
import { listPids, type TlsTarget, tlsFilesOf } from "./tls-targets.js";

export interface TlsAttacherOptions {
  /** Attaches the uprobes to one file; returns the probe count or throws why not. */
  attach: (path: string) => number;
  scanIntervalMs: number;
  /** Files given up on stay here: a file without SSL_write is not retried. */
  onError?: (target: TlsTarget, error: Error) => void;
  procRoot?: string;
  /** Bound on the files remembered (attached or failed). */
  maxFiles?: number;
}

export class TlsAttacher {
  private readonly files = new Map<string, "attached" | "failed">();
  private seenPids = new Set<number>();
  /** Processes looked at because they opened a connection, since the last scan. */
  private noticed = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  readonly attached: TlsTarget[] = [];

  constructor(private readonly options: TlsAttacherOptions) {}

  start(): void {
    this.scan();
    this.timer = setInterval(() => this.scan(), this.options.scanIntervalMs);
    this.timer.unref();
  }

  /** One pass over the pids not seen in the previous pass. */
  scan(): void {
    const pids = listPids(this.options.procRoot ?? "/proc");
    for (const pid of pids) {
      if (!this.seenPids.has(pid)) this.attachFilesOf(pid);
    }
    // Only the live pids are remembered: a reused pid is scanned again.
    this.seenPids = new Set(pids);
    this.noticed.clear();
  }

  /**
   * A process's first connection (a conn-open event from the kernel) has its
   * files looked at now rather than at the next scan: a new client usually
   * connects before its TLS handshake ends, so its first SSL_write is seen.
   * The next scan still reads it once more, for a libssl dlopen()ed late.
   */
  noticeConnections(events: readonly KernelEvent[]): void {
    if (this.stopped) return;
    for (const event of events) {
      if (event.kind !== "open") continue;
      const pid = event.conn.tgid;
      if (this.seenPids.has(pid) || this.noticed.has(pid)) continue;
      this.noticed.add(pid);
      this.attachFilesOf(pid);
    }
  }

  private attachFilesOf(pid: number): void {
    const procRoot = this.options.procRoot ?? "/proc";
    const maxFiles = this.options.maxFiles ?? 1024;
    for (const target of tlsFilesOf(pid, procRoot)) {
      if (this.files.has(target.fileId) || this.files.size >= maxFiles) continue;
      try {
        this.options.attach(target.path);
        this.files.set(target.fileId, "attached");
        this.attached.push(target);
      } catch (error) {
        // The process (and its /proc/<pid>/root path) went away mid-attach:
        // not the file's fault, try again when another process shows it.
        if (/No such file or directory/.test((error as Error).message)) continue;
        this.files.set(target.fileId, "failed");
        this.options.onError?.(target, error as Error);
      }
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
