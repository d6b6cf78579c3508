import { asObject, readArray, readBoolean, readNumber, readString } from "./jsonFields";
import type { Endpoint, RequestRecord } from "./types";

/**
 * Turns a /api/v1/requests response body into request records, dropping entries that
 * are not objects. Returns undefined when the body is not a requests response at all.
 */
export function parseRequests(body: unknown): RequestRecord[] | undefined {
  const root = asObject(body);
  if (!root || !Array.isArray(root.requests)) return undefined;
  return readArray(root, "requests").flatMap((raw) => {
    const record = parseRequest(raw);
    return record ? [record] : [];
  });
}

function parseRequest(raw: unknown): RequestRecord | undefined {
  const object = asObject(raw);
  if (!object) return undefined;
  return {
    time: readString(object, "time"),
    timeUnixNano: readString(object, "timeUnixNano"),
    protocol: readString(object, "protocol"),
    side: object.side === "server" ? "server" : "client",
    client: parseEndpoint(object.client),
    server: parseEndpoint(object.server),
    operation: readString(object, "operation"),
    target: readString(object, "target"),
    status: readNumber(object, "status"),
    error: readBoolean(object, "error"),
    durationMs: readNumber(object, "durationMs"),
    requestBytes: readNumber(object, "requestBytes"),
    responseBytes: readNumber(object, "responseBytes"),
    traceId: readString(object, "traceId"),
    agentId: readString(object, "agentId"),
  };
}

function parseEndpoint(raw: unknown): Endpoint {
  const object = asObject(raw) ?? {};
  return {
    service: readString(object, "service"),
    ip: readString(object, "ip"),
    port: readNumber(object, "port"),
    pid: readNumber(object, "pid"),
    processName: readString(object, "processName"),
  };
}
