/**
 * One direction of a connection's byte stream, reassembled by stream offset.
 *
 * The kernel reports each syscall's offset and length but may capture fewer
 * bytes than moved (capture cap) or lose whole events (ring buffer full). Missing
 * ranges become explicit gap segments so a parser is told exactly how many bytes
 * it did not see, and never reads across a splice of unrelated bytes.
 */

interface TimeMark {
  /** Index within the segment's bytes where this syscall's bytes start. */
  at: number;
  timestampNs: bigint;
}

interface DataSegment {
  kind: "data";
  bytes: Buffer;
  marks: TimeMark[];
}

export interface StreamGap {
  kind: "gap";
  length: number;
  timestampNs: bigint;
  /** False for history before the agent started watching: not a loss. */
  lost: boolean;
}

type Segment = DataSegment | StreamGap;

/** headBytes() of an empty stream: parsers ask on every drain, and a zero-length Buffer cannot be written to. */
const NO_BYTES = Buffer.alloc(0);

export interface StreamBufferCounters {
  /** Bytes the kernel moved that never reached us (capture cap, dropped events). */
  lostBytes: number;
  /** Bytes discarded because the parser fell behind the per-stream cap. */
  overflowBytes: number;
  /** Bytes that arrived twice or behind the stream position, ignored. */
  staleBytes: number;
}

export class StreamBuffer {
  private readonly segments: Segment[] = [];
  private nextOffset: bigint | undefined;
  private bufferedBytes = 0;
  readonly counters: StreamBufferCounters = { lostBytes: 0, overflowBytes: 0, staleBytes: 0 };

  constructor(private readonly maxBufferedBytes: number) {}

  /** The stream was watched from its first byte (we saw the connection open): a jump past 0 is a loss. */
  watchFromStart(): void {
    this.nextOffset ??= 0n;
  }

  get buffered(): number {
    return this.bufferedBytes;
  }

  /**
   * Adds one syscall's bytes. `captured` may be shorter than `syscallLength`;
   * it is copied (kernel batches are views into a reused buffer).
   */
  append(offset: bigint, captured: Buffer, syscallLength: number, timestampNs: bigint): void {
    if (syscallLength <= 0) return;
    let bytes = captured.length > syscallLength ? captured.subarray(0, syscallLength) : captured;
    let length = syscallLength;
    let start = offset;
    if (this.nextOffset === undefined) {
      if (start > 0n) this.pushGap(Number(start), timestampNs, false);
      this.nextOffset = start;
    }
    if (start < this.nextOffset) {
      const behind = Number(this.nextOffset - start);
      if (behind >= length) {
        this.counters.staleBytes += length;
        return;
      }
      this.counters.staleBytes += behind;
      bytes = bytes.subarray(Math.min(behind, bytes.length));
      length -= behind;
      start = this.nextOffset;
    }
    if (start > this.nextOffset) {
      const missing = Number(start - this.nextOffset);
      this.counters.lostBytes += missing;
      this.pushGap(missing, timestampNs, true);
    }
    if (bytes.length > 0) this.pushData(bytes, timestampNs);
    if (bytes.length < length) {
      this.counters.lostBytes += length - bytes.length;
      this.pushGap(length - bytes.length, timestampNs, true);
    }
    this.nextOffset = start + BigInt(length);
    this.enforceCap();
  }

  /** Contiguous captured bytes at the head (empty when the head is a gap or nothing is buffered). */
  headBytes(): Buffer {
    const head = this.segments[0];
    return head?.kind === "data" ? head.bytes : NO_BYTES;
  }

  /** The gap at the head, if the head is one. */
  headGap(): StreamGap | undefined {
    const head = this.segments[0];
    return head?.kind === "gap" ? head : undefined;
  }

  /** Timestamp of the syscall that carried head byte `index`. */
  timestampAt(index: number): bigint {
    const head = this.segments[0];
    if (head === undefined) return 0n;
    if (head.kind === "gap") return head.timestampNs;
    let found = head.marks[0]?.timestampNs ?? 0n;
    for (const mark of head.marks) {
      if (mark.at > index) break;
      found = mark.timestampNs;
    }
    return found;
  }

  /** Drops `count` bytes from the head data segment. */
  consume(count: number): void {
    const head = this.segments[0];
    if (head === undefined || head.kind !== "data" || count <= 0) return;
    const taken = Math.min(count, head.bytes.length);
    this.bufferedBytes -= taken;
    if (taken === head.bytes.length) {
      this.segments.shift();
      return;
    }
    head.bytes = head.bytes.subarray(taken);
    head.marks = dropLeadingMarks(head.marks, taken);
  }

  /**
   * When the head's bytes are followed by a gap, folds them into it and returns
   * true: a frame header cut short by the gap can never complete, so a parser
   * waiting on it would wait until the stream cap turned later bytes into a gap.
   * Those few captured bytes are lost with the gap and counted as such.
   */
  foldHeadIntoGap(): boolean {
    const head = this.segments[0];
    const next = this.segments[1];
    if (head?.kind !== "data" || next?.kind !== "gap") return false;
    this.segments.shift();
    this.bufferedBytes -= head.bytes.length;
    this.counters.lostBytes += head.bytes.length;
    next.length += head.bytes.length;
    next.lost = true;
    return true;
  }

  /** Removes the head gap, returning it. */
  takeGap(): StreamGap | undefined {
    const head = this.segments[0];
    if (head?.kind !== "gap") return undefined;
    this.segments.shift();
    return head;
  }

  /** Forgets everything buffered (the connection left every protocol we parse). */
  clear(): void {
    this.segments.length = 0;
    this.bufferedBytes = 0;
  }

  private pushData(bytes: Buffer, timestampNs: bigint): void {
    const last = this.segments[this.segments.length - 1];
    if (last?.kind === "data") {
      last.marks.push({ at: last.bytes.length, timestampNs });
      last.bytes = Buffer.concat([last.bytes, bytes]);
    } else {
      this.segments.push({ kind: "data", bytes: Buffer.from(bytes), marks: [{ at: 0, timestampNs }] });
    }
    this.bufferedBytes += bytes.length;
  }

  private pushGap(length: number, timestampNs: bigint, lost: boolean): void {
    const last = this.segments[this.segments.length - 1];
    if (last?.kind === "gap") {
      last.length += length;
      last.timestampNs = timestampNs;
      last.lost ||= lost;
      return;
    }
    this.segments.push({ kind: "gap", length, timestampNs, lost });
  }

  /**
   * A parser that cannot make progress must not grow memory without bound:
   * the oldest bytes become a gap, which makes the parser resync.
   */
  private enforceCap(): void {
    let excess = this.bufferedBytes - this.maxBufferedBytes;
    for (let index = 0; excess > 0 && index < this.segments.length; index++) {
      const segment = this.segments[index];
      if (segment?.kind !== "data") continue;
      const dropped = Math.min(excess, segment.bytes.length);
      const timestampNs = segment.marks[0]?.timestampNs ?? 0n;
      const gap: StreamGap = { kind: "gap", length: dropped, timestampNs, lost: true };
      if (dropped === segment.bytes.length) {
        this.segments.splice(index, 1, gap);
      } else {
        segment.bytes = Buffer.from(segment.bytes.subarray(dropped));
        segment.marks = dropLeadingMarks(segment.marks, dropped);
        this.segments.splice(index, 0, gap);
        index++;
      }
      this.bufferedBytes -= dropped;
      this.counters.overflowBytes += dropped;
      excess -= dropped;
    }
    this.mergeAdjacentGaps();
  }

  private mergeAdjacentGaps(): void {
    for (let index = this.segments.length - 1; index > 0; index--) {
      const current = this.segments[index];
      const previous = this.segments[index - 1];
      if (current?.kind === "gap" && previous?.kind === "gap") {
        previous.length += current.length;
        previous.timestampNs = current.timestampNs;
        previous.lost ||= current.lost;
        this.segments.splice(index, 1);
      }
    }
  }
}

/** Marks after `taken` bytes left the front: the byte now at 0 keeps its syscall's timestamp. */
function dropLeadingMarks(marks: TimeMark[], taken: number): TimeMark[] {
  let firstKept = 0;
  while (firstKept + 1 < marks.length && (marks[firstKept + 1]?.at ?? 0) <= taken) firstKept++;
  return marks
    .slice(firstKept)
    .map((mark) => ({ at: Math.max(0, mark.at - taken), timestampNs: mark.timestampNs }));
}
