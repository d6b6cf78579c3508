// A produced record's traceparent header, on record batches built by hand
// (message format v2) and through a whole Produce request of each framing.
import { describe, expect, it } from "vitest";
import { recordBatchTraceParent } from "./kafka-record-headers.js";
import { decodeRequest } from "./kafka-request.js";

const TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

function varint(value: number): Buffer {
  let zigzag = value < 0 ? -2 * value - 1 : 2 * value;
  const out: number[] = [];
  do {
    const low = zigzag % 128;
    zigzag = Math.floor(zigzag / 128);
    out.push(zigzag > 0 ? low | 0x80 : low);
  } while (zigzag > 0);
  return Buffer.from(out);
}
const field = (text: string | null) =>
  text === null ? varint(-1) : Buffer.concat([varint(Buffer.byteLength(text)), Buffer.from(text)]);

function record(value: string, headers: [string, string][]): Buffer {
  const body = Buffer.concat([
    Buffer.from([0]), // attributes
    varint(0), // timestamp delta
    varint(0), // offset delta
    field(null), // key
    field(value),
    varint(headers.length),
    ...headers.map(([key, v]) => Buffer.concat([field(key), field(v)])),
  ]);
  return Buffer.concat([varint(body.length), body]);
}

function batch(records: Buffer[], compression = 0): Buffer {
  const header = Buffer.alloc(61);
  header.writeInt32BE(49 + records.reduce((n, r) => n + r.length, 0), 8); // batch length
  header[16] = 2; // magic
  header.writeInt16BE(compression, 21);
  header.writeInt32BE(records.length, 57);
  return Buffer.concat([header, ...records]);
}

describe("recordBatchTraceParent", () => {
  it("finds the first traced record's traceparent among other headers", () => {
    const bytes = batch([
      record("untraced", [["x-app", "shop"]]),
      record("traced", [
        ["content-type", "json"],
        ["traceparent", TRACEPARENT],
      ]),
    ]);
    expect(recordBatchTraceParent(bytes, 0, bytes.length)).toBe(TRACEPARENT);
  });

  it("leaves compressed, old-format, untraced and cut-off batches untraced", () => {
    const traced = [record("v", [["traceparent", TRACEPARENT]])];
    const gzip = batch(traced, 1);
    expect(recordBatchTraceParent(gzip, 0, gzip.length)).toBeUndefined();
    const old = batch(traced);
    old[16] = 1;
    expect(recordBatchTraceParent(old, 0, old.length)).toBeUndefined();
    const none = batch([record("v", [])]);
    expect(recordBatchTraceParent(none, 0, none.length)).toBeUndefined();
    const whole = batch(traced);
    expect(recordBatchTraceParent(whole, 0, whole.length - 20)).toBeUndefined();
  });
});

describe("a Produce request", () => {
  function produce(version: number, records: Buffer): Buffer {
    const flexible = version >= 9;
    const int16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
    const int32 = (n: number) => {
      const b = Buffer.alloc(4);
      b.writeInt32BE(n);
      return b;
    };
    const uvarint = (n: number) => {
      const out: number[] = [];
      let rest = n;
      do {
        const low = rest % 128;
        rest = Math.floor(rest / 128);
        out.push(rest > 0 ? low | 0x80 : low);
      } while (rest > 0);
      return Buffer.from(out);
    };
    const str = (text: string) =>
      flexible
        ? Buffer.concat([uvarint(text.length + 1), Buffer.from(text)])
        : Buffer.concat([int16(text.length), Buffer.from(text)]);
    return Buffer.concat([
      int16(0), // api key: Produce
      int16(version),
      int32(7), // correlation id
      int16(4),
      Buffer.from("demo"), // client id (a plain string in every header version)
      ...(flexible ? [uvarint(0)] : []), // header tags
      flexible ? uvarint(0) : int16(-1), // transactional id: null
      int16(1), // acks
      int32(1000), // timeout
      flexible ? uvarint(2) : int32(1), // one topic
      str("orders"),
      flexible ? uvarint(2) : int32(1), // one partition
      int32(0),
      flexible ? uvarint(records.length + 1) : int32(records.length),
      records,
      ...(flexible ? [uvarint(0), uvarint(0), uvarint(0)] : []),
    ]);
  }

  it.each([3, 9])("reads the traceparent of a produced record (v%i)", (version) => {
    const bytes = batch([record("order", [["traceparent", TRACEPARENT]])]);
    const body = produce(version, bytes);
    const request = decodeRequest(body, body.length, false);
    expect(request).toMatchObject({ topics: ["orders"], acks: 1, traceParent: TRACEPARENT });
  });
});
