// Serialises a batch's request records as TabSeparated for one INSERT,
// straight into bytes: no row objects, no intermediate strings (the columns
// are those of toRequestRow in request-row.ts; a test stores both and compares). Against
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
import { type Endpoint, type RequestRecord, Side } from "@periscope/proto";
import {
  CLIENT_NAMESPACE,
  CLIENT_WORKLOAD,
  hostOf,
  type RequestRow,
  SERVER_NAMESPACE,
  SERVER_WORKLOAD,
} from "./request-row.js";

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

// Escaped bytes. UTF-8 never uses bytes below 0x80 inside a multi-byte
// character, so a string can be written as UTF-8 first and scanned bytewise.
const BACKSLASH = 0x5c;
const TAB = 0x09;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const QUOTE = 0x27;
const ESCAPED = new Map([
  [BACKSLASH, BACKSLASH],
  [TAB, 0x74], // 't'
  [NEWLINE, 0x6e], // 'n'
  [CARRIAGE_RETURN, 0x72], // 'r'
  [QUOTE, QUOTE],
]);

/**
 * A growing output buffer reused across batches: each batch's bytes are
 * copied out once at the end, so encoding allocates one Buffer per batch.
 */
class TsvWriter {
  private buf = Buffer.allocUnsafe(1 << 20);
  pos = 0;

  private reserve(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + bytes));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  byte(value: number): void {
    this.reserve(1);
    this.buf[this.pos++] = value;
  }

  /** ASCII only: numbers, booleans, fixed words. */
  ascii(text: string): void {
    this.reserve(text.length);
    this.pos += this.buf.write(text, this.pos, "latin1");
  }

  /** Text with TSV escapes; inside a map literal also quote-escaped (see above). */
  text(value: string, quoted = false): void {
    if (value.length === 0) return;
    // Escaping at most doubles the UTF-8 bytes (at most 3 per UTF-16 unit).
    this.reserve(value.length * 6);
    const start = this.pos;
    const end = start + this.buf.write(value, start, "utf8");
    let needsEscape = false;
    for (let i = start; i < end; i++) {
      const b = this.buf[i] as number;
      if (b === BACKSLASH || b === TAB || b === NEWLINE || b === CARRIAGE_RETURN || (quoted && b === QUOTE)) {
        needsEscape = true;
        break;
      }
    }
    if (!needsEscape) {
      this.pos = end;
      return;
    }
    const raw = Buffer.from(this.buf.subarray(start, end));
    this.pos = start;
    for (const b of raw) {
      const escaped = b === QUOTE && !quoted ? undefined : ESCAPED.get(b);
      if (escaped !== undefined) this.buf[this.pos++] = BACKSLASH;
      this.buf[this.pos++] = escaped ?? b;
    }
  }

  mapLiteral(map: Record<string, string>): void {
    this.byte(0x7b); // '{'
    let first = true;
    for (const key in map) {
      if (!first) this.byte(0x2c); // ','
      first = false;
      this.byte(QUOTE);
      this.text(key, true);
      this.ascii("':'");
      this.text(map[key] ?? "", true);
      this.byte(QUOTE);
    }
    this.byte(0x7d); // '}'
  }

  takeBytes(): Buffer {
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    this.pos = 0;
    return out;
  }
}

const writer = new TsvWriter();

function endpoint(w: TsvWriter, e: Endpoint | undefined): void {
  w.text(e?.ip ?? "");
  w.byte(TAB);
  w.ascii(String(e?.port ?? 0));
  w.byte(TAB);
  w.text(e?.service ?? "");
  w.byte(TAB);
  w.ascii(String(e?.pid ?? 0));
  w.byte(TAB);
  w.text(e?.processName ?? "");
}

/** One TSV line per record (columns as toRequestRow maps them), each ending in a newline. */
export function requestRecordsToTsv(agentId: string, records: readonly RequestRecord[]): Buffer {
  const w = writer;
  w.pos = 0;
  for (const record of records) {
    const attributes = record.attributes;
    w.ascii(record.startTimeUnixNano.toString());
    w.byte(TAB);
    w.text(agentId);
    w.byte(TAB);
    w.text(record.protocol);
    w.byte(TAB);
    w.ascii(record.side === Side.CLIENT ? "client" : "server");
    w.byte(TAB);
    endpoint(w, record.client);
    w.byte(TAB);
    w.text(attributes[CLIENT_NAMESPACE] ?? "");
    w.byte(TAB);
    w.text(attributes[CLIENT_WORKLOAD] ?? "");
    w.byte(TAB);
    endpoint(w, record.server);
    w.byte(TAB);
    w.text(attributes[SERVER_NAMESPACE] ?? "");
    w.byte(TAB);
    w.text(attributes[SERVER_WORKLOAD] ?? "");
    w.byte(TAB);
    w.text(hostOf(attributes));
    w.byte(TAB);
    w.text(record.operation);
    w.byte(TAB);
    w.text(record.target);
    w.byte(TAB);
    w.ascii(String(record.status));
    w.byte(TAB);
    w.ascii(record.error ? "true" : "false");
    w.byte(TAB);
    w.ascii(record.durationNano.toString());
    w.byte(TAB);
    w.ascii(record.requestBytes.toString());
    w.byte(TAB);
    w.ascii(record.responseBytes.toString());
    w.byte(TAB);
    w.mapLiteral(attributes);
    w.byte(TAB);
    w.text(record.traceId);
    w.byte(TAB);
    w.text(record.spanId);
    w.byte(TAB);
    w.text(record.parentSpanId);
    w.byte(TAB);
    w.ascii(record.truncated ? "true" : "false");
    w.byte(NEWLINE);
  }
  return w.takeBytes();
}
