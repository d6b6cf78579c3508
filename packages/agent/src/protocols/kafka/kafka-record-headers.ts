// The `traceparent` header of the first record that has one in a produce's
// record batch (message format v2, the protocol guide's "Record Batch"):
// OpenTelemetry's Kafka instrumentations put W3C trace context in record
// headers. A request record stands for the whole produce, so it joins the
// first traced record's trace. Compressed batches cannot be read without
// inflating them and are left alone, as are batches cut off by the decoded
// prefix: a produce is then simply untraced.

/** baseOffset … recordsCount: the batch's fixed part, ending at its records. */
const BATCH_HEADER_BYTES = 61;
const MAGIC_OFFSET = 16;
const ATTRIBUTES_OFFSET = 21;
const RECORDS_COUNT_OFFSET = 57;
const COMPRESSION_MASK = 0x07;
/** Records looked at in one batch: the first traced record is near the front. */
const MAX_RECORDS_READ = 64;

class VarintCursor {
  overrun = false;
  constructor(
    private readonly bytes: Buffer,
    public at: number,
    private readonly end: number,
  ) {}

  /** A zigzag varint (signed), as records and their headers encode lengths. */
  varint(): number {
    let raw = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (this.at >= this.end) {
        this.overrun = true;
        return 0;
      }
      const byte = this.bytes[this.at++] ?? 0;
      raw += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
    }
    this.overrun = true;
    return 0;
  }

  /** A varlong's bytes, stepped over (timestamps and offsets are not needed). */
  skipVarlong(): void {
    while (this.at < this.end) if (((this.bytes[this.at++] ?? 0) & 0x80) === 0) return;
    this.overrun = true;
  }

  /** A varint-length field: its bytes, or undefined for null (-1) and past the end. */
  field(): Buffer | undefined {
    const length = this.varint();
    if (length < 0 || this.overrun) return undefined;
    if (this.at + length > this.end) {
      this.overrun = true;
      return undefined;
    }
    const bytes = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return bytes;
  }
}

/** The first traced record's traceparent in the record batch at bytes[start, end). */
export function recordBatchTraceParent(bytes: Buffer, start: number, end: number): string | undefined {
  if (end - start < BATCH_HEADER_BYTES || end > bytes.length) return undefined;
  if (bytes[start + MAGIC_OFFSET] !== 2) return undefined;
  if ((bytes.readInt16BE(start + ATTRIBUTES_OFFSET) & COMPRESSION_MASK) !== 0) return undefined;
  const count = Math.min(MAX_RECORDS_READ, bytes.readInt32BE(start + RECORDS_COUNT_OFFSET));
  const cursor = new VarintCursor(bytes, start + BATCH_HEADER_BYTES, end);
  for (let record = 0; record < count; record++) {
    const length = cursor.varint();
    const recordEnd = cursor.at + length;
    if (cursor.overrun || length <= 0 || recordEnd > end) return undefined;
    cursor.at += 1; // attributes
    cursor.skipVarlong(); // timestamp delta
    cursor.varint(); // offset delta
    cursor.field(); // key
    cursor.field(); // value
    const headers = cursor.varint();
    for (let header = 0; header < headers && !cursor.overrun; header++) {
      const key = cursor.field();
      const value = cursor.field();
      if (key?.toString("utf8") === "traceparent" && value !== undefined) return value.toString("utf8");
    }
    if (cursor.overrun) return undefined;
    cursor.at = recordEnd;
  }
  return undefined;
}
