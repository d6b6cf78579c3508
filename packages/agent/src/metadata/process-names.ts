import { readFileSync } from "node:fs";

/**
 * Process names (comm) by pid. comm is what `process.title`, prctl(PR_SET_NAME)
 * and exec set, truncated by the kernel to 15 bytes (TASK_COMM_LEN).
 */
export class ProcessNames {
  private readonly names = new Map<number, string>();

  constructor(
    private readonly maxEntries = 4096,
    private readonly readComm: (pid: number) => string | undefined = readProcComm,
  ) {}

  /** The name of `pid`, or `fallback` (e.g. the comm an event carried) when /proc has none. */
  get(pid: number, fallback = ""): string {
    const cached = this.names.get(pid);
    if (cached !== undefined) return cached;
    const name = this.readComm(pid) ?? fallback;
    if (name === "") return "";
    if (this.names.size >= this.maxEntries) {
      const oldest = this.names.keys().next().value;
      if (oldest !== undefined) this.names.delete(oldest);
    }
    this.names.set(pid, name);
    return name;
  }

  /** Called when the process has no connection left: its pid may be reused. */
  forget(pid: number): void {
    this.names.delete(pid);
  }

  get size(): number {
    return this.names.size;
  }
}

function readProcComm(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trimEnd();
  } catch {
    return undefined;
  }
}
