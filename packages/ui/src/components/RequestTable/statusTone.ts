// A record's status as its protocol means it. The agent stores each protocol's own
// code in one number (packages/agent/src/protocols/*): an HTTP status, a gRPC status
// code (-1 when the trailers never came), a DNS rcode, a MySQL/Mongo/Kafka error code,
// an AMQP reply code, a PostgreSQL SQLSTATE class (packed by sqlstateStatus()), and 0
// for success where the protocol has no code of its own.

export type StatusTone = "success" | "redirect" | "client-error" | "server-error" | "unknown";

export interface StatusOf {
  protocol: string;
  status: number;
  error: boolean;
}

const HTTP_STATUS_PROTOCOLS = new Set(["http", "http2"]);

// grpc/doc/statuscodes.md, by code.
const GRPC_CODES = [
  "OK",
  "CANCELLED",
  "UNKNOWN",
  "INVALID_ARGUMENT",
  "DEADLINE_EXCEEDED",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "PERMISSION_DENIED",
  "RESOURCE_EXHAUSTED",
  "FAILED_PRECONDITION",
  "ABORTED",
  "OUT_OF_RANGE",
  "UNIMPLEMENTED",
  "INTERNAL",
  "UNAVAILABLE",
  "DATA_LOSS",
  "UNAUTHENTICATED",
];

// RFC 1035 §4.1.1 (0–5) and RFC 2136 §2.2 (6–10).
const DNS_RCODES = [
  "NOERROR",
  "FORMERR",
  "SERVFAIL",
  "NXDOMAIN",
  "NOTIMP",
  "REFUSED",
  "YXDOMAIN",
  "YXRRSET",
  "NXRRSET",
  "NOTAUTH",
  "NOTZONE",
];

/** The SQLSTATE class (its first two characters) that sqlstateStatus() packed into a number. */
export function sqlstateClass(status: number): string {
  if (status <= 0) return "";
  if (status < 100) return String(status).padStart(2, "0");
  return (status - 100).toString(36).toUpperCase().padStart(2, "0");
}

/**
 * Colour class for a status. HTTP classes by first digit (RFC 9110 §15); any other
 * protocol's record is a success unless flagged as an error, which reads as a server
 * error (a reset, a gRPC, SQL or broker failure).
 */
export function statusTone({ protocol, status, error }: StatusOf): StatusTone {
  if (HTTP_STATUS_PROTOCOLS.has(protocol)) {
    if (status >= 500 && status < 600) return "server-error";
    if (status >= 400 && status < 500) return "client-error";
    if (error) return "server-error";
    if (status >= 300 && status < 400) return "redirect";
    if (status >= 100 && status < 300) return "success";
    return "unknown";
  }
  if (error) return "server-error";
  if (protocol === "grpc" && status < 0) return "unknown";
  return "success";
}

/** The status as a reader of that protocol knows it: "404", "14 UNAVAILABLE", "NXDOMAIN", "SQLSTATE 42…". */
export function statusText({ protocol, status, error }: StatusOf): string {
  if (HTTP_STATUS_PROTOCOLS.has(protocol)) {
    if (status > 0) return String(status);
    return error ? "error" : "—";
  }
  switch (protocol) {
    case "grpc":
      if (status < 0) return "no status";
      return status === 0 ? "OK" : `${status} ${GRPC_CODES[status] ?? ""}`.trimEnd();
    case "dns":
      return DNS_RCODES[status] ?? `rcode ${status}`;
    case "postgres":
      return status > 0 ? `SQLSTATE ${sqlstateClass(status)}…` : error ? "error" : "OK";
    default:
      // An error code (MySQL 1146, Kafka 3, Mongo 11000) or an AMQP reply code (200).
      if (status !== 0) return String(status);
      return error ? "error" : "OK";
  }
}
