/**
 * Big-endian field reader over one Kafka message (protocol guide, "Protocol
 * Primitive Types"). Reading past the end sets `overrun` and yields zero
 * values, so a message cut short (a decoded prefix of a large one, or a
 * malformed one) is detected once, without exceptions.
 */
export class KafkaReader {
  overrun = false;

  constructor(
    private readonly bytes: Buffer,
    private at = 0,
  ) {}

  get position(): number {
    return this.at;
  }

  private take(length: number): number {
    if (length < 0 || this.at + length > this.bytes.length) {
      this.overrun = true;
      this.at = this.bytes.length;
      return -1;
    }
    const start = this.at;
    this.at += length;
    return start;
  }

  int8(): number {
    const at = this.take(1);
    return at < 0 ? 0 : this.bytes.readInt8(at);
  }

  int16(): number {
    const at = this.take(2);
    return at < 0 ? 0 : this.bytes.readInt16BE(at);
  }

  int32(): number {
    const at = this.take(4);
    return at < 0 ? 0 : this.bytes.readInt32BE(at);
  }

  skip(length: number): void {
    this.take(length);
  }

  /** UNSIGNED_VARINT: 7 bits a byte, low group first, at most 5 bytes for 32 bits. */
  uvarint(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const at = this.take(1);
      if (at < 0) return 0;
      const byte = this.bytes[at] ?? 0;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
    this.overrun = true;
    return 0;
  }

  /** STRING / NULLABLE_STRING (int16 length, -1 null) or, flexible, COMPACT_ (uvarint length + 1, 0 null). */
  string(compact: boolean): string | null {
    const length = compact ? this.uvarint() - 1 : this.int16();
    if (length < 0) return null;
    const at = this.take(length);
    return at < 0 ? null : this.bytes.toString("utf8", at, at + length);
  }

  /** BYTES / RECORDS: skipped, only their extent matters. */
  /** The message the reader reads. */
  get buffer(): Buffer {
    return this.bytes;
  }

  /**
   * BYTES / COMPACT_BYTES, stepped over: where they lie in the message, or
   * undefined when null or cut off by the decoded prefix (the reader then
   * reports the overrun as skipBytes does).
   */
  bytesSpan(compact: boolean): { start: number; end: number } | undefined {
    const length = compact ? this.uvarint() - 1 : this.int32();
    if (length < 0 || this.overrun) return undefined;
    const at = this.take(length);
    return at < 0 ? undefined : { start: at, end: at + length };
  }

  skipBytes(compact: boolean): void {
    const length = compact ? this.uvarint() - 1 : this.int32();
    if (length > 0) this.take(length);
  }

  /** ARRAY (int32 count, -1 null) or COMPACT_ARRAY (uvarint count + 1, 0 null): the count, -1 for null. */
  arrayLength(compact: boolean): number {
    const count = compact ? this.uvarint() - 1 : this.int32();
    // Each element takes at least a byte: a larger count is a corrupt length.
    if (count > this.bytes.length - this.at) this.overrun = true;
    return count;
  }

  /** TAG_BUFFER (KIP-482): a count, then tag, size and bytes per field; none of ours are read. */
  skipTaggedFields(): void {
    const count = this.uvarint();
    for (let index = 0; index < count && !this.overrun; index++) {
      this.uvarint();
      this.skip(this.uvarint());
    }
  }
}
