/** Pipeline-wide tallies the per-connection health objects add to. */
export interface RecoveryCounters {
  /** Times a parser found a frame boundary again after losing its place (bad bytes or a gap). */
  parserResyncs: number;
}

/** What a StreamDriver reports about its stream, for the connection to judge. */
export interface StreamHealth {
  /** A message decoded: the bytes make sense. */
  message(): void;
  /** Bytes did not parse as the protocol. */
  invalid(): void;
  /** A boundary search found its frame start. */
  resynced(): void;
  /** Bytes thrown away while searching for a boundary. */
  discarded(bytes: number): void;
  /** Stop parsing: the connection does not carry this protocol. */
  readonly disabled: boolean;
}

/**
 * Failures before the first message: a connection that has never parsed once is
 * most likely a false positive of the kernel's first-bytes inference. A few are
 * allowed, since an agent that joins mid-connection starts inside a message.
 */
export const FAILURES_BEFORE_FIRST_MESSAGE = 4;
/** Failures in a row, with no message between them, once the connection had parsed. */
export const CONSECUTIVE_FAILURES = 16;
/**
 * A boundary search that throws away this much without a message counts as one
 * failure: bytes that never even look like a frame start fail no parse, yet
 * they are the clearest sign of a connection that is not this protocol.
 */
export const DISCARDED_BYTES_PER_FAILURE = 16 * 1024;

/**
 * Whether one connection's bytes still make sense as its protocol, judged from
 * both directions together: a parser that keeps failing is disabled rather
 * than left to burn CPU resyncing (and buffering) bytes it will never read.
 */
export class ConnectionHealth implements StreamHealth {
  private messages = 0;
  private failuresInARow = 0;
  private discardedSinceMessage = 0;
  disabled = false;

  constructor(private readonly counters: RecoveryCounters) {}

  message(): void {
    this.messages++;
    this.failuresInARow = 0;
    this.discardedSinceMessage = 0;
  }

  invalid(): void {
    this.fail();
  }

  resynced(): void {
    this.counters.parserResyncs++;
  }

  discarded(bytes: number): void {
    this.discardedSinceMessage += bytes;
    while (this.discardedSinceMessage >= DISCARDED_BYTES_PER_FAILURE) {
      this.discardedSinceMessage -= DISCARDED_BYTES_PER_FAILURE;
      this.fail();
    }
  }

  private fail(): void {
    this.failuresInARow++;
    const limit = this.messages === 0 ? FAILURES_BEFORE_FIRST_MESSAGE : CONSECUTIVE_FAILURES;
    if (this.failuresInARow >= limit) this.disabled = true;
  }
}
