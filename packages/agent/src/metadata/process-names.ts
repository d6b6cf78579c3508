import { readFileSync } from "node:fs";
import { type OtelIdentity, readOtelIdentity } from "./otel-identity.js";
import { serviceNameOf } from "./service-name.js";

interface Identity {
  name: string;
  /** The group the process states it belongs to (otel-identity.ts); "" for none. */
  namespace: string;
}

/**
 * Process names by pid: the service name the process states the OpenTelemetry
 * way ("<namespace>/<name>" with a namespace), else what service-name.ts
 * derives from comm and the command line.
 */
export class ProcessNames {
  private readonly identities = new Map<number, Identity>();

  constructor(
    private readonly maxEntries = 4096,
    private readonly readName: (pid: number) => string | undefined = readProcessName,
    private readonly readStated: (pid: number) => OtelIdentity = readOtelIdentity,
  ) {}

  /** The name of `pid`, or `fallback` (e.g. the comm an event carried) when /proc has none. */
  get(pid: number, fallback = ""): string {
    return this.identity(pid, fallback)?.name ?? "";
  }

  /** The namespace `pid` states, once its name was read; "" when it states none. */
  namespaceOf(pid: number): string {
    return this.identities.get(pid)?.namespace ?? "";
  }

  private identity(pid: number, fallback: string): Identity | undefined {
    const cached = this.identities.get(pid);
    if (cached !== undefined) return cached;
    const derived = this.readName(pid);
    const name = derived ?? fallback;
    if (name === "") return undefined;
    // A process gone from /proc states nothing: its event's comm is all there is.
    const stated = derived === undefined ? undefined : this.readStated(pid);
    const identity: Identity =
      stated === undefined || stated.serviceName === ""
        ? { name, namespace: stated?.namespace ?? "" }
        : {
            name: stated.namespace === "" ? stated.serviceName : `${stated.namespace}/${stated.serviceName}`,
            namespace: stated.namespace,
          };
    if (this.identities.size >= this.maxEntries) {
      const oldest = this.identities.keys().next().value;
      if (oldest !== undefined) this.identities.delete(oldest);
    }
    this.identities.set(pid, identity);
    return identity;
  }

  /** Called when the process has no connection left: its pid may be reused. */
  forget(pid: number): void {
    this.identities.delete(pid);
  }

  get size(): number {
    return this.identities.size;
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
