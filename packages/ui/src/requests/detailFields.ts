// How the detail drawer names and groups what a request carries: the target is a
// path, a SQL statement or a command depending on the protocol, and headers travel
// as `http.request.header.<name>` / `http.response.header.<name>` attributes (the
// agent's HTTP parsers), apart from the other attributes.

const STATEMENT_PROTOCOLS = new Set(["postgres", "mysql"]);
const COMMAND_PROTOCOLS = new Set(["redis", "mongo"]);

/** What the request's `target` is called for its protocol. */
export function targetLabel(protocol: string): string {
  if (STATEMENT_PROTOCOLS.has(protocol)) return "Statement";
  if (COMMAND_PROTOCOLS.has(protocol)) return "Command";
  if (protocol === "grpc") return "Method";
  if (protocol === "dns") return "Query";
  if (protocol === "kafka" || protocol === "amqp" || protocol === "nats" || protocol === "mqtt")
    return "Topic";
  return "Path";
}

export interface GroupedAttributes {
  requestHeaders: [string, string][];
  responseHeaders: [string, string][];
  other: [string, string][];
}

const REQUEST_HEADER = "http.request.header.";
const RESPONSE_HEADER = "http.response.header.";

export function groupAttributes(attributes: Record<string, string>): GroupedAttributes {
  const grouped: GroupedAttributes = { requestHeaders: [], responseHeaders: [], other: [] };
  for (const [key, value] of Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b))) {
    if (key.startsWith(REQUEST_HEADER))
      grouped.requestHeaders.push([key.slice(REQUEST_HEADER.length), value]);
    else if (key.startsWith(RESPONSE_HEADER))
      grouped.responseHeaders.push([key.slice(RESPONSE_HEADER.length), value]);
    else grouped.other.push([key, value]);
  }
  return grouped;
}

/** 1.2 kB style sizes; bytes below 1,000 stay exact. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "—";
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  if (bytes < 1_000_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  return `${(bytes / 1_000_000_000).toFixed(1)} GB`;
}

/**
 * "GET /checkout". gRPC's operation is its method path and SQL's statement starts
 * with its verb, so an operation the target already says is not repeated.
 */
export function operationAndTarget(operation: string, target: string): string {
  if (
    operation === "" ||
    target === operation ||
    target.toUpperCase().startsWith(`${operation.toUpperCase()} `)
  )
    return target || operation;
  return `${operation} ${target}`;
}

/** How the drawer shows an end's container: Docker's short id with the full one kept, or why there is none. */
export type ContainerShown = { kind: "id"; short: string; full: string } | { kind: "none"; text: string };

// `docker ps`, crictl and podman all show the first 12 hex digits of the 64.
const SHORT_CONTAINER_ID = 12;

export function containerShown(end: { pid: number; containerId: string }): ContainerShown {
  const full = end.containerId.trim();
  if (full !== "") {
    const short = /^[0-9a-f]+$/i.test(full) ? full.slice(0, SHORT_CONTAINER_ID) : full;
    return { kind: "id", short, full };
  }
  // The agent reads the container from the traced process's cgroup: with no
  // process on this end there is nothing it could have read.
  return { kind: "none", text: end.pid > 0 ? "none reported (not in a container)" : "—" };
}
