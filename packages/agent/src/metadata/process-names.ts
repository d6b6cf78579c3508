import { readFileSync } from "node:fs";
import { serviceNameOf } from "./service-name.js";

/** Process names by pid, as service-name.ts derives them from comm and the command line. */
export class ProcessNames {
  private readonly names = new Map<number, string>();

  constructor(
    private readonly maxEntries = 4096,
    private readonly readName: (pid: number) => string | undefined = readProcessName,
  ) {}

  /** The name of `pid`, or `fallback` (e.g. the comm an event carried) when /proc has none. */
  get(pid: number, fallback = ""): string {
    const cached = this.names.get(pid);
    if (cached !== undefined) return cached;
    const name = this.readName(pid) ?? fallback;
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

function readProcessName(pid: number): string | undefined {
  try {
    const comm = readFileSync(`/proc/${pid}/comm`, "utf8").trimEnd();
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8")
      .split("\0")
      .filter((arg) => arg !== "");
    return serviceNameOf(comm, argv);
  } catch {
    return undefined;
  }
}
