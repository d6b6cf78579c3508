import type { BufferReader } from "./buffer-reader.js";
import { needsMoreData, ok, type ParseResult } from "./parse-result.js";

/**
 * The tail of a length-prefixed message too large to decode whole (a Kafka
 * record batch, a MongoDB insert's documents, an MQTT PUBLISH payload): its first bytes were decoded
 * into the message, the rest streams past unbuffered, and bytes the kernel did
 * not capture inside it are stepped over, since its end is known.
 */
export class LargeMessageSkip<Message> {
  private skipping: { message: Message; remaining: number } | undefined;

  /** True while a message's tail is still to go by. */
  get active(): boolean {
    return this.skipping !== undefined;
  }

  start(message: Message, remaining: number): void {
    this.skipping = { message, remaining };
  }

  /** Reads past what remains of the tail; the message once its last byte went by. */
  continue(reader: BufferReader): ParseResult<Message> {
    const skipping = this.skipping;
    if (skipping === undefined) return needsMoreData;
    skipping.remaining -= reader.readBytes(skipping.remaining).length;
    if (skipping.remaining > 0) return needsMoreData;
    this.skipping = undefined;
    return ok(skipping.message);
  }

  /** Uncaptured bytes inside the tail are stepped over; beyond its end they are not. */
  absorbGap(length: number): boolean {
    if (this.skipping === undefined || length > this.skipping.remaining) return false;
    this.skipping.remaining -= length;
    return true;
  }

  /** A gap the tail cannot absorb: the message as decoded, and the skip ends. */
  cutAtGap(): Message | undefined {
    const message = this.skipping?.message;
    this.skipping = undefined;
    return message;
  }

  /** The decoder lost its place: no tail is in progress any more. */
  clear(): void {
    this.skipping = undefined;
  }
}
