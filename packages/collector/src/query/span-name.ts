// A span's name, the OpenTelemetry way: low-cardinality. "{method} {route}"
// with ids templated (`GET /users/{id}`, the agent's endpoint rule from the
// contract) for HTTP, gRPC's method path, a database's operation, a messaging
// operation and its destination. Read by the trace API and the OTLP export.
import { templatePath } from "@periscope/proto";

const HTTP_PROTOCOLS = new Set(["http", "http2"]);
const MESSAGING_PROTOCOLS = new Set(["kafka", "amqp", "nats", "mqtt"]);
/** Names stay low-cardinality: a destination is cut to this. */
const MAX_NAME_LENGTH = 120;

export function spanName(protocol: string, operation: string, target: string): string {
  const verb = operation || protocol.toUpperCase();
  if (HTTP_PROTOCOLS.has(protocol)) return `${verb} ${templatePath(target)}`.trim();
  // gRPC's target is the method path already (/pkg.Service/Method).
  if (protocol === "grpc") return target || verb;
  if (MESSAGING_PROTOCOLS.has(protocol) && target !== "")
    return `${verb} ${target}`.slice(0, MAX_NAME_LENGTH);
  // Statements and keys are not names.
  return verb.slice(0, MAX_NAME_LENGTH);
}

/**
 * OpenTelemetry's HTTP rule: a 4xx is the caller's mistake, so a server span
 * with one is not an error; a client span is. 5xx and failed calls of any
 * protocol are errors.
 */
export function spanIsError(
  protocol: string,
  side: "client" | "server",
  status: number,
  error: boolean,
): boolean {
  if (!error) return false;
  if ((protocol === "http" || protocol === "http2") && side === "server") return status >= 500;
  return true;
}
