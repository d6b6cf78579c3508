/**
 * A cursor over the contiguous bytes at the head of a stream. Decoders read
 * through it and rewind to a saved position when a frame is incomplete, so a
 * `needs-more-data` result leaves the frame's bytes for the next attempt.
 */
export class BufferReader {
  private cursor = 0;

  constructor(private readonly buffer: Buffer) {}

  get position(): number {
    return this.cursor;
  }

  get remaining(): number {
    return this.buffer.length - this.cursor;
  }

  rewind(position: number): void {
    this.cursor = position;
  }

  skip(count: number): void {
    this.cursor = Math.min(this.buffer.length, this.cursor + count);
  }

  /** Byte at `ahead` bytes past the cursor, or undefined past the end. */
  peekByte(ahead = 0): number | undefined {
    return this.buffer[this.cursor + ahead];
  }

  /** Index relative to the cursor of `needle` within the next `limit` bytes, or -1. */
  indexOf(needle: string | Buffer, limit = this.remaining): number {
    const end = Math.min(this.buffer.length, this.cursor + limit);
    const found = this.buffer.subarray(0, end).indexOf(needle, this.cursor);
    return found < 0 ? -1 : found - this.cursor;
  }

  /** Next `length` bytes as a view (no copy), advancing the cursor. */
  readBytes(length: number): Buffer {
    const end = Math.min(this.buffer.length, this.cursor + length);
    const view = this.buffer.subarray(this.cursor, end);
    this.cursor = end;
    return view;
  }
}
