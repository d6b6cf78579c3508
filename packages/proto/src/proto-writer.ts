// A growable byte buffer that writes protobuf wire format
// (https://protobuf.dev/programming-guides/encoding/). Fields at their proto3
// default are skipped by the *Field methods, as implicit presence requires.
// Length prefixes are back-patched: one byte is reserved, the payload is
// written, and when it turned out longer than 127 bytes it is moved up to make
// room for the longer varint, which is cheaper than sizing every message first.

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;

/** Strings this short are at most 126 UTF-8 bytes, so one length byte is always enough. */
const SHORT_STRING = 42;

export class ProtoWriter {
  buf: Buffer;
  pos = 0;

  constructor(initialBytes = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** Starts a new message, keeping the buffer. */
  reset(): void {
    this.pos = 0;
  }

  /** A copy of the bytes written: the buffer is reused by the next message. */
  finish(): Buffer {
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    return out;
  }

  private ensure(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + bytes) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }

  /** An unsigned varint of a value below 2^53. */
  varint(value: number): void {
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    let rest = value;
    while (rest > 0x7fffffff) {
      buf[pos++] = (rest % 128) | 0x80;
      rest = Math.floor(rest / 128);
    }
    while (rest > 0x7f) {
      buf[pos++] = (rest & 0x7f) | 0x80;
      rest >>>= 7;
    }
    buf[pos++] = rest;
    this.pos = pos;
  }

  /**
   * A uint64 varint; values of 2^53 and above go through their two 32-bit halves.
   * A negative value throws, as protobuf-es's toBinary does: written as a
   * varint it became one byte with the continuation bit set, which swallowed
   * the next tag and made the whole batch undecodable (a TCP-health delta of
   * -88 bytes lost a second of requests, issue #14).
   */
  varint64(value: bigint): void {
    if (value < 0n) throw new RangeError(`invalid uint64: ${value}`);
    if (value <= 0xffffffffn) {
      this.varint(Number(value));
      return;
    }
    const wrapped = BigInt.asUintN(64, value);
    this.varintHalves(Number(wrapped & 0xffffffffn), Number(wrapped >> 32n));
  }

  private varintHalves(low: number, high: number): void {
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    let lo = low >>> 0;
    let hi = high >>> 0;
    while (hi > 0 || lo > 0x7f) {
      buf[pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    buf[pos++] = lo;
    this.pos = pos;
  }

  /** int32 and enums: negative values are sign-extended to ten bytes (encoding guide, "Signed Integers"). */
  int32(value: number): void {
    if (value >= 0) this.varint(value);
    else this.varintHalves(value >>> 0, 0xffffffff);
  }

  fixed64(value: bigint): void {
    this.ensure(8);
    this.buf.writeBigUInt64LE(BigInt.asUintN(64, value), this.pos);
    this.pos += 8;
  }

  tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  /** A string's UTF-8 bytes with their length prefix (lone surrogates become U+FFFD, as TextEncoder does). */
  string(value: string): void {
    const length = value.length;
    if (length <= SHORT_STRING) {
      this.ensure(1 + length * 3);
      const buf = this.buf;
      const start = this.pos;
      let pos = start + 1;
      for (let i = 0; i < length; i++) {
        const code = value.charCodeAt(i);
        if (code >= 0x80) {
          pos = start + 1 + buf.write(value, start + 1, "utf8");
          break;
        }
        buf[pos++] = code;
      }
      buf[start] = pos - start - 1;
      this.pos = pos;
      return;
    }
    const bytes = Buffer.byteLength(value, "utf8");
    this.varint(bytes);
    this.ensure(bytes);
    this.pos += this.buf.write(value, this.pos, "utf8");
  }

  /** Reserves a length byte for a submessage; pass the result to `endLengthDelimited`. */
  beginLengthDelimited(): number {
    this.ensure(1);
    return this.pos++;
  }

  endLengthDelimited(lengthAt: number): void {
    const length = this.pos - lengthAt - 1;
    if (length < 0x80) {
      this.buf[lengthAt] = length;
      return;
    }
    let prefix = 1;
    while (length >= 2 ** (7 * prefix)) prefix++;
    this.ensure(prefix - 1);
    this.buf.copy(this.buf, lengthAt + prefix, lengthAt + 1, this.pos);
    const end = this.pos + prefix - 1;
    this.pos = lengthAt;
    this.varint(length);
    this.pos = end;
  }

  stringField(field: number, value: string): void {
    if (value === "") return;
    this.tag(field, LENGTH_DELIMITED);
    this.string(value);
  }

  uint32Field(field: number, value: number): void {
    if (value === 0) return;
    this.tag(field, VARINT);
    this.varint(value >>> 0);
  }

  int32Field(field: number, value: number): void {
    if (value === 0) return;
    this.tag(field, VARINT);
    this.int32(value);
  }

  uint64Field(field: number, value: bigint): void {
    if (value === 0n) return;
    this.tag(field, VARINT);
    this.varint64(value);
  }

  fixed64Field(field: number, value: bigint): void {
    if (value === 0n) return;
    this.tag(field, FIXED64);
    this.fixed64(value);
  }

  boolField(field: number, value: boolean): void {
    if (!value) return;
    this.tag(field, VARINT);
    this.varint(1);
  }

  /** The tag of a submessage field and its reserved length byte; see `endLengthDelimited`. */
  beginMessageField(field: number): number {
    this.tag(field, LENGTH_DELIMITED);
    return this.beginLengthDelimited();
  }

  /** proto3 double: fixed 64-bit IEEE 754, little-endian; 0 (and -0) omitted as protobuf-es does. */
  doubleField(field: number, value: number): void {
    if (value === 0 && !Object.is(value, -0)) return;
    this.tag(field, FIXED64);
    this.ensure(8);
    this.buf.writeDoubleLE(value, this.pos);
    this.pos += 8;
  }

  /** sint32: ZigZag, so small negative numbers stay short (encoding guide, "Signed Integers"). */
  sint32Field(field: number, value: number): void {
    if (value === 0) return;
    this.tag(field, VARINT);
    this.varint(((value << 1) ^ (value >> 31)) >>> 0);
  }

  /** A repeated uint64 as one packed field, proto3's default encoding for repeated scalars. */
  packedUint64Field(field: number, values: readonly bigint[]): void {
    if (values.length === 0) return;
    const at = this.beginMessageField(field);
    for (const value of values) this.varint64(value);
    this.endLengthDelimited(at);
  }
}
