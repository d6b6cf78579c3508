// traceparent from a content header's properties, on hand-built payloads
// (AMQP 0-9-1 §4.2.6.1 and RabbitMQ's field-table types).
import { describe, expect, it } from "vitest";
import { traceParentHeader } from "./amqp-properties.js";

const TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

function shortstr(text: string): Buffer {
  return Buffer.concat([Buffer.from([text.length]), Buffer.from(text)]);
}
function longstr(text: string): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(text.length);
  return Buffer.concat([length, Buffer.from(text)]);
}
function table(entries: Buffer[]): Buffer {
  const body = Buffer.concat(entries);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return Buffer.concat([length, body]);
}
/** class 60 (basic), weight 0, body size 5, then the flags and the fields they name. */
function contentHeader(flags: number, fields: Buffer[]): Buffer {
  const fixed = Buffer.alloc(14);
  fixed.writeUInt16BE(60, 0);
  fixed.writeBigUInt64BE(5n, 4);
  fixed.writeUInt16BE(flags, 12);
  return Buffer.concat([fixed, ...fields]);
}

describe("traceParentHeader", () => {
  it("finds traceparent after content-type and other headers of every type", () => {
    const headers = table([
      Buffer.concat([shortstr("retries"), Buffer.from("I"), Buffer.from([0, 0, 0, 3])]),
      Buffer.concat([shortstr("flag"), Buffer.from("t"), Buffer.from([1])]),
      Buffer.concat([shortstr("nested"), Buffer.from("F"), table([])]),
      Buffer.concat([shortstr("traceparent"), Buffer.from("S"), longstr(TRACEPARENT)]),
    ]);
    const payload = contentHeader((1 << 15) | (1 << 13), [shortstr("text/plain"), headers, Buffer.from([2])]);
    expect(traceParentHeader(payload)).toBe(TRACEPARENT);
  });

  it("reads nothing when there are no headers, or none named traceparent", () => {
    expect(traceParentHeader(contentHeader(1 << 15, [shortstr("text/plain")]))).toBeUndefined();
    const other = table([Buffer.concat([shortstr("x-app"), Buffer.from("S"), longstr("shop")])]);
    expect(traceParentHeader(contentHeader(1 << 13, [other]))).toBeUndefined();
  });

  it("stops at a malformed table without throwing: a type it cannot size, or a length past the frame", () => {
    const unknownType = table([
      Buffer.concat([shortstr("odd"), Buffer.from("Z"), Buffer.from([1, 2])]),
      Buffer.concat([shortstr("traceparent"), Buffer.from("S"), longstr(TRACEPARENT)]),
    ]);
    expect(traceParentHeader(contentHeader(1 << 13, [unknownType]))).toBeUndefined();
    const cut = contentHeader(1 << 13, [
      table([Buffer.concat([shortstr("traceparent"), Buffer.from("S"), longstr(TRACEPARENT)])]),
    ]);
    expect(traceParentHeader(cut.subarray(0, cut.length - 10))).toBeUndefined();
    expect(traceParentHeader(Buffer.alloc(6))).toBeUndefined();
  });
});
