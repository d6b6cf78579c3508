// Serialises request rows as TabSeparated for one INSERT. Against
// JSONEachRow (what the client does with objects) the payload is ~3× smaller,
// there are no key names to repeat and match per row, and ClickHouse's TSV
// reader is its cheapest text parser; JSON.stringify per row was the second
// largest cost on the ingest path (bench/).
//
// Escaping (ClickHouse docs, formats/TabSeparated): backslash, tab and line
// breaks are written as \\, \t, \n, \r. A Map field is its literal
// {'key':'value',…}; the engine reads the quoted strings inside it with
// quoted-string escapes directly (no TSV unescaping first — verified against
// the embedded engine), so they escape quote, backslash, tab and line breaks.
import type { RequestRow } from "./request-row.js";

/** Column order of every line; also the INSERT's column list. */
export const REQUEST_COLUMNS = [
  "time",
  "agent_id",
  "protocol",
  "side",
  "client_ip",
  "client_port",
  "client_service",
  "client_pid",
  "client_process",
  "client_namespace",
  "client_workload",
  "server_ip",
  "server_port",
  "server_service",
  "server_pid",
  "server_process",
  "server_namespace",
  "server_workload",
  "server_host",
  "operation",
  "target",
  "status",
  "error",
  "duration_ns",
  "request_bytes",
  "response_bytes",
  "attributes",
  "trace_id",
  "span_id",
  "parent_span_id",
  "truncated",
] as const satisfies readonly (keyof RequestRow)[];

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

export function escapeTsv(value: string): string {
  return NEEDS_ESCAPE.test(value) ? value.replace(/[\\\t\n\r]/g, (char) => ESCAPES[char] ?? char) : value;
}

const QUOTED_ESCAPES: Record<string, string> = { ...ESCAPES, "'": "\\'" };

function quoted(value: string): string {
  return `'${value.replace(/[\\'\t\n\r]/g, (char) => QUOTED_ESCAPES[char] ?? char)}'`;
}

function mapLiteral(map: Record<string, string>): string {
  let text = "{";
  let first = true;
  for (const key in map) {
    if (!first) text += ",";
    first = false;
    text += `${quoted(key)}:${quoted(map[key] ?? "")}`;
  }
  return `${text}}`;
}

/** One TSV line per row, each ending in a newline. */
export function requestRowsToTsv(rows: readonly RequestRow[]): string {
  let out = "";
  for (const row of rows) {
    out +=
      `${row.time}\t${escapeTsv(row.agent_id)}\t${escapeTsv(row.protocol)}\t${row.side}\t` +
      `${escapeTsv(row.client_ip)}\t${row.client_port}\t${escapeTsv(row.client_service)}\t${row.client_pid}\t` +
      `${escapeTsv(row.client_process)}\t${escapeTsv(row.client_namespace)}\t${escapeTsv(row.client_workload)}\t` +
      `${escapeTsv(row.server_ip)}\t${row.server_port}\t${escapeTsv(row.server_service)}\t${row.server_pid}\t` +
      `${escapeTsv(row.server_process)}\t${escapeTsv(row.server_namespace)}\t${escapeTsv(row.server_workload)}\t` +
      `${escapeTsv(row.server_host)}\t${escapeTsv(row.operation)}\t${escapeTsv(row.target)}\t${row.status}\t` +
      `${row.error}\t${row.duration_ns}\t${row.request_bytes}\t${row.response_bytes}\t` +
      `${mapLiteral(row.attributes)}\t${escapeTsv(row.trace_id)}\t${escapeTsv(row.span_id)}\t` +
      `${escapeTsv(row.parent_span_id)}\t${row.truncated}\n`;
  }
  return out;
}
