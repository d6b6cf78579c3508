// A cursor over protobuf wire-format bytes for the fast Export decoder
// (export-request-decoder.ts). Wire format: protobuf encoding guide
// (https://protobuf.dev/programming-guides/encoding/). Malformed bytes throw
// RangeError, as protobuf-es's fromBinary throws on them.

/** Wire types: the low three bits of a tag. */
export const WireType = {
  Varint: 0,
  Fixed64: 1,
  LengthDelimited: 2,
  Fixed32: 5,
} as const;

export class WireReader {
  pos: number;
  constructor(
    readonly buf: Buffer,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  /** Varints up to 2^53 as a number; larger ones lose precision (use varint64). */
  varint(): number {
    let result = 0;
    let shift = 0;
    let byte: number;
    do {
      if (this.pos >= this.end) throw new RangeError("truncated varint");
      byte = this.buf[this.pos++] as number;
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return result;
  }

  varint64(): bigint {
    const start = this.pos;
    const value = this.varint();
    if (this.pos - start < 8) return BigInt(value); // < 2^49: exact as a number
    let result = 0n;
    let shift = 0n;
    for (let i = start; i < this.pos; i++) {
      result |= BigInt((this.buf[i] as number) & 0x7f) << shift;
      shift += 7n;
    }
    return BigInt.asUintN(64, result);
  }

  /** int32 is sign-extended to ten bytes on the wire; the low 32 bits are the value. */
  int32(): number {
    const start = this.pos;
    const value = this.varint();
    if (this.pos - start <= 4) return value | 0;
    let low = 0;
    for (let i = 0; i < 5; i++) low += ((this.buf[start + i] as number) & 0x7f) * 2 ** (7 * i);
    return low | 0;
  }

  fixed64(): bigint {
    this.need(8, "fixed64");
    const value = this.buf.readBigUInt64LE(this.pos);
    this.pos += 8;
    return value;
  }

  /** An IEEE 754 binary64, little-endian (wire type 1, as fixed64). */
  double(): number {
    this.need(8, "double");
    const value = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return value;
  }

  /** Start and end of a length-delimited field's payload; the cursor moves past it. */
  span(): [number, number] {
    const length = this.varint();
    const start = this.pos;
    const end = start + length;
    if (end > this.end) throw new RangeError("truncated field");
    this.pos = end;
    return [start, end];
  }

  string(): string {
    const [start, end] = this.span();
    return start === end ? "" : this.buf.toString("utf8", start, end);
  }

  skip(wireType: number): void {
    if (wireType === WireType.Varint) this.varint();
    else if (wireType === WireType.Fixed64) this.pos += 8;
    else if (wireType === WireType.LengthDelimited) this.span();
    else if (wireType === WireType.Fixed32) this.pos += 4;
    else throw new RangeError(`unsupported wire type ${wireType}`);
    if (this.pos > this.end) throw new RangeError("truncated field");
  }

  private need(bytes: number, what: string): void {
    if (this.pos + bytes > this.end) throw new RangeError(`truncated ${what}`);
  }
}
