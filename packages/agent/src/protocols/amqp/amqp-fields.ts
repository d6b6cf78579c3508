/**
 * Reads a method frame's arguments (AMQP 0-9-1 §4.2.5: big-endian integers,
 * shortstr = 1-byte length, longstr and field tables = 4-byte length). The
 * frame is complete before it is read, so running off its end means the peer
 * sent a malformed method: reads then return zero values and `overrun` is set
 * (checked once at the end, no exceptions).
 */
export class AmqpFieldReader {
  private at: number;
  overrun = false;

  constructor(
    private readonly bytes: Buffer,
    start: number,
    private readonly end: number,
  ) {
    this.at = start;
  }

  private take(length: number): number {
    if (this.at + length > this.end) {
      this.overrun = true;
      this.at = this.end;
      return -1;
    }
    const start = this.at;
    this.at += length;
    return start;
  }

  octet(): number {
    const at = this.take(1);
    return at < 0 ? 0 : (this.bytes[at] ?? 0);
  }

  short(): number {
    const at = this.take(2);
    return at < 0 ? 0 : this.bytes.readUInt16BE(at);
  }

  long(): number {
    const at = this.take(4);
    return at < 0 ? 0 : this.bytes.readUInt32BE(at);
  }

  longlong(): bigint {
    const at = this.take(8);
    return at < 0 ? 0n : this.bytes.readBigUInt64BE(at);
  }

  shortstr(): string {
    const length = this.octet();
    const at = this.take(length);
    return at < 0 ? "" : this.bytes.toString("utf8", at, at + length);
  }

  /** Skips a longstr or a field table without reading it (credentials live in one). */
  skipLong(): void {
    this.take(this.long());
  }

  longstr(): string {
    const length = this.long();
    const at = this.take(length);
    return at < 0 ? "" : this.bytes.toString("utf8", at, at + length);
  }

  skip(length: number): void {
    this.take(length);
  }

  get position(): number {
    return this.at;
  }
}
