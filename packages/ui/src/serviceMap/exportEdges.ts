// The map's edges as CSV and JSON, for spreadsheets and scripts (asked for in
// hubble-ui #241 and cilium/hubble #592). One row per edge of the filtered map, before
// namespaces are collapsed, so a collapsed view still exports every call.
import type { MapModel, ModelEdge, ModelNode } from "./mapModel";

export interface EdgeExportRow {
  source: string;
  sourceNamespace: string;
  target: string;
  targetNamespace: string;
  protocols: string[];
  requestCount: number;
  errorCount: number;
  requestsPerSecond: number;
  errorRatio: number;
  p50Ms: number;
  p99Ms: number;
}

export function edgeExportRows(edges: readonly ModelEdge[], nodes: readonly ModelNode[]): EdgeExportRow[] {
  const namespaceOf = new Map(nodes.map((node) => [node.id, node.namespace]));
  return edges.map((edge) => ({
    source: edge.source,
    sourceNamespace: namespaceOf.get(edge.source) ?? "",
    target: edge.target,
    targetNamespace: namespaceOf.get(edge.target) ?? "",
    protocols: [...edge.protocols],
    requestCount: edge.requestCount,
    errorCount: edge.errorCount,
    requestsPerSecond: round(edge.rate, 6),
    errorRatio: round(edge.errorRatio, 6),
    p50Ms: round(edge.p50Ms, 3),
    p99Ms: round(edge.p99Ms, 3),
  }));
}

const CSV_COLUMNS: (keyof EdgeExportRow)[] = [
  "source",
  "sourceNamespace",
  "target",
  "targetNamespace",
  "protocols",
  "requestCount",
  "errorCount",
  "requestsPerSecond",
  "errorRatio",
  "p50Ms",
  "p99Ms",
];

/** RFC 4180 CSV with a header row and CRLF line ends; protocols joined by spaces. */
export function edgesToCsv(rows: readonly EdgeExportRow[]): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const row of rows) {
    lines.push(
      CSV_COLUMNS.map((column) => {
        const value = row[column];
        return csvField(Array.isArray(value) ? value.join(" ") : String(value));
      }).join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}

/**
 * A field is quoted when it holds a comma, quote or line break (RFC 4180 §2.6–2.7), and
 * when it starts with = + - @ — a spreadsheet would run such a name as a formula (OWASP
 * "CSV injection"); the leading apostrophe keeps it text.
 */
function csvField(value: string): string {
  const guarded = /^[=+\-@\t\r]/.test(value) && !/^-?\d/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

/** JSON with the range it covers, so a saved file says when its figures were taken. */
export function edgesToJson(rows: readonly EdgeExportRow[], range: Pick<MapModel, "from" | "to">): string {
  return `${JSON.stringify({ from: range.from, to: range.to, edges: rows }, null, 2)}\n`;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
