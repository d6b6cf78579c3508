// A content header's properties (AMQP 0-9-1 §4.2.6.1, basic class): the
// property flags say which fields follow, in order; `headers` is the third, a
// field table, where OpenTelemetry's AMQP instrumentations put `traceparent`
// (W3C Trace Context over messaging). Only that much is read: content-type,
// content-encoding, then the table. A malformed table ends the reading
// without an error: the message itself stays a record, untraced.
import { AmqpFieldReader } from "./amqp-fields.js";

const CONTENT_TYPE = 1 << 15;
const CONTENT_ENCODING = 1 << 14;
const HEADERS = 1 << 13;

/** Bytes of the fixed part: class-id, weight, body-size, property flags. */
const FIXED = 2 + 2 + 8 + 2;

/** Fixed sizes of a field table's value types (RabbitMQ's table grammar, the errata to §4.2.5.5). */
const FIXED_SIZES: Record<string, number> = {
  t: 1,
  b: 1,
  B: 1,
  s: 2,
  u: 2,
  I: 4,
  i: 4,
  l: 8,
  f: 4,
  d: 8,
  D: 5,
  T: 8,
  V: 0,
};
/** Values framed by a 4-byte length: long strings, byte arrays, arrays, nested tables. */
const LENGTH_PREFIXED = new Set(["S", "x", "A", "F"]);

/** The `traceparent` header of a content header frame's payload, if it has one. */
export function traceParentHeader(payload: Buffer): string | undefined {
  if (payload.length < FIXED) return undefined;
  const flags = payload.readUInt16BE(12);
  if ((flags & HEADERS) === 0) return undefined;
  const reader = new AmqpFieldReader(payload, FIXED, payload.length);
  if (flags & CONTENT_TYPE) reader.shortstr();
  if (flags & CONTENT_ENCODING) reader.shortstr();
  const tableEnd = reader.position + 4 + reader.long();
  if (reader.overrun || tableEnd > payload.length) return undefined;
  while (reader.position < tableEnd) {
    const name = reader.shortstr();
    const type = String.fromCharCode(reader.octet());
    if (reader.overrun) return undefined;
    if (type === "S" && name === "traceparent") return reader.longstr();
    const fixed = FIXED_SIZES[type];
    if (fixed !== undefined) reader.skip(fixed);
    else if (LENGTH_PREFIXED.has(type)) reader.skipLong();
    else return undefined; // an unknown type: its size cannot be known
    if (reader.overrun) return undefined;
  }
  return undefined;
}
