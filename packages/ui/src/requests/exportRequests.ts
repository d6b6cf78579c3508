// Request lists as files a user can take elsewhere (hubble-ui #241, cilium/hubble #592
// asked for exactly this). Pure: the component only wraps the text in a Blob.
import type { RequestView } from "./requestTypes";

export const CSV_COLUMNS = [
  "id",
  "time",
  "protocol",
  "side",
  "client_service",
  "client_ip",
  "client_port",
  "client_namespace",
  "client_pod",
  "client_container_id",
  "server_service",
  "server_ip",
  "server_port",
  "server_namespace",
  "server_pod",
  "server_container_id",
  "operation",
  "target",
  "status",
  "error",
  "duration_ms",
  "request_bytes",
  "response_bytes",
  "trace_id",
  "span_id",
  "agent_id",
  "sample_weight",
] as const;

function cells(r: RequestView): (string | number | boolean)[] {
  return [
    r.id,
    r.time,
    r.protocol,
    r.side,
    r.client.service,
    r.client.ip,
    r.client.port,
    r.client.namespace,
    r.client.pod,
    r.client.containerId,
    r.server.service,
    r.server.ip,
    r.server.port,
    r.server.namespace,
    r.server.pod,
    r.server.containerId,
    r.operation,
    r.target,
    r.status,
    r.error,
    r.durationMs,
    r.requestBytes,
    r.responseBytes,
    r.traceId,
    r.spanId,
    r.agentId,
    r.sampleWeight,
  ];
}

/**
 * One CSV field (RFC 4180 §2): quoted when it holds a comma, quote or line break, with
 * quotes doubled. A leading =, +, - or @ is prefixed with ' so a spreadsheet does not
 * run a target such as "=HYPERLINK(…)" as a formula (OWASP "CSV injection").
 */
export function csvField(value: string | number | boolean): string {
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Header line plus one line per request, CRLF-terminated as RFC 4180 asks. */
export function requestsToCsv(requests: readonly RequestView[]): string {
  const lines = [CSV_COLUMNS.join(","), ...requests.map((r) => cells(r).map(csvField).join(","))];
  return `${lines.join("\r\n")}\r\n`;
}

/** The records exactly as the API gave them, with what was asked for alongside. */
export function requestsToJson(
  requests: readonly RequestView[],
  query: Record<string, string>,
  exportedAt: Date,
): string {
  return `${JSON.stringify({ exportedAt: exportedAt.toISOString(), query, requests }, null, 2)}\n`;
}

/** periscope-requests-20261208T021500Z.csv: sortable, no characters a file system refuses. */
export function exportFileName(kind: "csv" | "json", at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replaceAll(/[-:]/g, "");
  return `periscope-requests-${stamp}.${kind}`;
}
