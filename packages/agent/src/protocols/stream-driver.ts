import type { StreamBuffer } from "../connections/stream-buffer.js";
import { BufferReader } from "./buffer-reader.js";
import type { StreamHealth } from "./connection-health.js";
import type { MessageDecoder, MessageTiming } from "./message-decoder.js";

const NO_BYTES = Buffer.alloc(0);

export interface ParserCounters {
  /** Bytes that did not parse as the protocol (each invalid frame counts once). */
  parseErrors: number;
  /** Times a gap in the captured bytes made a decoder lose its place. */
  streamGaps: number;
}

/**
 * Runs one direction's decoder over its StreamBuffer: feeds contiguous bytes,
 * steps over gaps the decoder can absorb, and otherwise resyncs at the next
 * plausible frame start. Tracks when each message's first and last bytes were seen.
 */
export class StreamDriver<Message> {
  private resyncing = false;
  /**
   * 1 when the head's first byte is kept only as context for the boundary search
   * (so "is this at a line start?" gets the same answer whatever the chunking).
   */
  private resyncFrom = 0;
  private firstByteNs = 0n;
  private lastByteNs = 0n;
  private truncated = false;

  constructor(
    private readonly decoder: MessageDecoder<Message>,
    private readonly counters: ParserCounters,
    private readonly onMessage: (message: Message, timing: MessageTiming) => void,
    private readonly onMessageStart?: (firstByteNs: bigint) => void,
    /** Told how parsing goes, to disable a connection whose bytes never make sense. */
    private readonly health?: StreamHealth,
  ) {}

  drain(stream: StreamBuffer): void {
    while (!this.decoder.finished) {
      if (this.health?.disabled) return;
      const gap = stream.takeGap();
      if (gap !== undefined) {
        if (this.decoder.midMessage && this.decoder.absorbGap(gap.length)) {
          this.lastByteNs = gap.timestampNs;
          this.truncated = true;
          // The gap may have been the body's last bytes: finish the message now,
          // not when the next message's bytes happen to arrive.
          const settled = this.decoder.decode(new BufferReader(NO_BYTES));
          if (settled.status === "ok") this.emit(settled.value);
          continue;
        }
        const cut = this.decoder.midMessage ? this.decoder.cutAtGap(gap.length) : undefined;
        if (cut !== undefined) {
          this.lastByteNs = gap.timestampNs;
          this.truncated = true;
          this.emit(cut);
        }
        if (gap.lost) this.counters.streamGaps++;
        this.decoder.reset();
        this.resyncing = true;
        this.resyncFrom = 0;
        continue;
      }
      const bytes = stream.headBytes();
      if (bytes.length === 0) return;
      if (this.resyncing) {
        const boundary = this.decoder.findFrameBoundary(bytes, this.resyncFrom);
        if (boundary < 0) {
          // Bytes kept as lookback cannot meet a frame start across a gap.
          if (stream.foldHeadIntoGap()) continue;
          const discard = bytes.length - this.decoder.boundaryLookback - 1;
          if (discard > 0) {
            stream.consume(discard);
            this.resyncFrom = 1;
            this.health?.discarded(discard);
          }
          return;
        }
        stream.consume(boundary);
        this.resyncing = false;
        this.health?.resynced();
        continue;
      }
      if (!this.decoder.midMessage) {
        this.firstByteNs = stream.timestampAt(0);
        this.truncated = false;
        this.onMessageStart?.(this.firstByteNs);
      }
      const reader = new BufferReader(bytes);
      const result = this.decoder.decode(reader);
      if (reader.position > 0) this.lastByteNs = stream.timestampAt(reader.position - 1);
      if (result.status === "invalid") {
        this.counters.parseErrors++;
        this.health?.invalid();
        this.decoder.reset();
        // The search restarts one byte further, or the same frame would fail forever;
        // the byte before it stays as context.
        stream.consume(Math.max(0, reader.position - 1));
        this.resyncing = true;
        this.resyncFrom = 1;
        continue;
      }
      stream.consume(reader.position);
      if (result.status === "needs-more-data") {
        if (reader.position > 0) continue;
        // A header cut short by a gap: step to the gap now and resync after it.
        if (stream.foldHeadIntoGap()) continue;
        return;
      }
      this.emit(result.value);
    }
    stream.clear();
  }

  /** The stream was closed: a message delimited by close completes now. */
  end(): void {
    const message = this.decoder.endOfStream();
    if (message !== undefined) this.emit(message);
  }

  private emit(message: Message): void {
    this.health?.message();
    this.onMessage(message, {
      firstByteNs: this.firstByteNs,
      lastByteNs: this.lastByteNs,
      truncated: this.truncated,
    });
    this.truncated = false;
  }
}
