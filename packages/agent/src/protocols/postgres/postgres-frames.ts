import type { BufferReader } from "../buffer-reader.js";
import type { MessageDecoder } from "../message-decoder.js";
import { invalid, needsMoreData, ok, type ParseResult } from "../parse-result.js";
import {
  BACKEND_KEPT,
  BACKEND_LENGTHS,
  EncryptionAnswer,
  FRONTEND_KEPT,
  FRONTEND_LENGTHS,
  PostgresLimits,
  StartupCode,
} from "./postgres-wire.js";

/** One protocol message: its header, the first bytes of its body (only where read), its size. */
export type PostgresFrame =
  | {
      kind: "typed";
      type: number;
      /** A copy of the body's first bytes, only for messages the parser reads; empty otherwise. */
      body: Buffer;
      wireBytes: number;
      /** First message after the decoder lost its place: what came before it is unknown. */
      resynced: boolean;
    }
  | { kind: "startup"; code: number; body: Buffer; wireBytes: number; resynced: boolean }
  | { kind: "answer"; answer: number; wireBytes: 1; resynced: boolean };

const TYPED_HEADER = 5;
const EMPTY = Buffer.alloc(0);
const STARTUP_HEADER = 8;

type Phase =
  | { name: "header" }
  /** Inside a body: its first `keep` bytes are copied as they pass, the rest skipped. */
  | {
      name: "body";
      frame: PostgresFrame & { kind: "typed" | "startup" };
      kept: Buffer[];
      keep: number;
      remaining: number;
    }
  /** After SSLRequest/GSSENCRequest: nothing is read until the one-byte answer is known. */
  | { name: "awaiting-answer" }
  /** Encryption was accepted: the rest is TLS or GSSAPI-wrapped. */
  | { name: "encrypted" };

function uint32At(bytes: Buffer | BufferReader, at: number): number | undefined {
  const read = (index: number) => (Buffer.isBuffer(bytes) ? bytes[at + index] : bytes.peekByte(at + index));
  const b0 = read(0);
  const b1 = read(1);
  const b2 = read(2);
  const b3 = read(3);
  if (b0 === undefined || b1 === undefined || b2 === undefined || b3 === undefined) return undefined;
  return ((b0 << 24) >>> 0) + (b1 << 16) + (b2 << 8) + b3;
}

/** Whether a startup-family header (length, code) is legal. */
function startupHeaderValid(length: number, code: number): boolean {
  if (code === StartupCode.SslRequest || code === StartupCode.GssEncRequest) return length === 8;
  // 16 in 3.0; 3.2 carries the variable-length key BackendKeyData announced.
  if (code === StartupCode.CancelRequest) return length >= 16 && length <= 264;
  return (
    code >>> 16 === StartupCode.ProtocolMajor3 && length >= 9 && length <= PostgresLimits.maxStartupLength
  );
}

/**
 * One direction of a PostgreSQL connection, cut into messages. The frontend
 * stream may open with a startup-family message (no type byte; its first byte
 * is the length's high byte, 0, which no type letter is). The backend answers
 * SSLRequest/GSSENCRequest with one bare byte, so it is told when one is due.
 */
export class PostgresFrameDecoder implements MessageDecoder<PostgresFrame> {
  readonly boundaryLookback = STARTUP_HEADER;
  private phase: Phase = { name: "header" };
  private resynced = false;
  private readonly lengths: ReadonlyMap<number, readonly [number, number]>;
  private readonly kept: ReadonlyMap<number, number>;

  constructor(
    readonly side: "frontend" | "backend",
    /** Backend only: true when the next byte answers an SSLRequest/GSSENCRequest. */
    private readonly answerDue: () => boolean = () => false,
  ) {
    this.lengths = side === "frontend" ? FRONTEND_LENGTHS : BACKEND_LENGTHS;
    this.kept = side === "frontend" ? FRONTEND_KEPT : BACKEND_KEPT;
  }

  get midMessage(): boolean {
    return this.phase.name === "body";
  }

  get finished(): boolean {
    return this.phase.name === "encrypted";
  }

  /** Frontend: the answer to its SSLRequest/GSSENCRequest arrived. */
  encryptionAnswered(accepted: boolean): void {
    if (accepted) this.phase = { name: "encrypted" };
    else if (this.phase.name === "awaiting-answer") this.phase = { name: "header" };
  }

  decode(reader: BufferReader): ParseResult<PostgresFrame> {
    if (this.phase.name === "awaiting-answer" || this.phase.name === "encrypted") return needsMoreData;
    if (this.phase.name === "header") {
      const head = this.decodeHead(reader);
      if (head.status !== "ok") return head;
      if (head.value.name === "done") return ok(head.value.frame);
      this.phase = head.value;
    }
    if (this.phase.name !== "body") return needsMoreData;
    const phase = this.phase;
    const bytes = reader.readBytes(Math.min(phase.remaining, reader.remaining));
    if (phase.keep > 0) {
      const kept = bytes.subarray(0, phase.keep);
      phase.kept.push(Buffer.from(kept));
      phase.keep -= kept.length;
    }
    phase.remaining -= bytes.length;
    return phase.remaining > 0 ? needsMoreData : ok(this.finishBody(phase));
  }

  private finishBody(phase: Phase & { name: "body" }): PostgresFrame {
    // SSLRequest/GSSENCRequest: nothing more is read until the server's one-byte answer.
    const awaitsAnswer =
      phase.frame.kind === "startup" &&
      (phase.frame.code === StartupCode.SslRequest || phase.frame.code === StartupCode.GssEncRequest);
    this.phase = awaitsAnswer ? { name: "awaiting-answer" } : { name: "header" };
    phase.frame.body = Buffer.concat(phase.kept);
    phase.kept = [];
    return phase.frame;
  }

  /**
   * Reads and consumes a header at once: from there on a gap lands inside the
   * message, where it can be stepped over, instead of stalling before it.
   */
  private decodeHead(
    reader: BufferReader,
  ): ParseResult<(Phase & { name: "body" }) | { name: "done"; frame: PostgresFrame }> {
    const first = reader.peekByte();
    if (first === undefined) return needsMoreData;
    if (this.side === "backend" && this.answerDue()) {
      if (
        first === EncryptionAnswer.Refused ||
        first === EncryptionAnswer.Accepted ||
        first === EncryptionAnswer.GssAccepted
      ) {
        reader.skip(1);
        const frame: PostgresFrame = {
          kind: "answer",
          answer: first,
          wireBytes: 1,
          resynced: this.takeResynced(),
        };
        return ok({ name: "done", frame });
      }
    }
    if (this.side === "frontend" && first === 0) {
      const length = uint32At(reader, 0);
      const code = uint32At(reader, 4);
      if (length === undefined || code === undefined) return needsMoreData;
      if (!startupHeaderValid(length, code))
        return invalid(`bad startup message (length ${length}, code ${code})`);
      reader.skip(STARTUP_HEADER);
      // Only StartupMessage's parameters are read; a CancelRequest's key is never kept.
      const keep = code >>> 16 === StartupCode.ProtocolMajor3 ? length - STARTUP_HEADER : 0;
      const frame = {
        kind: "startup",
        code,
        body: EMPTY,
        wireBytes: length,
        resynced: this.takeResynced(),
      } as const;
      return ok({ name: "body", frame, kept: [], keep, remaining: length - STARTUP_HEADER });
    }
    const length = uint32At(reader, 1);
    if (length === undefined) return needsMoreData;
    const rule = this.lengths.get(first);
    if (rule === undefined) return invalid(`unknown ${this.side} message type 0x${first.toString(16)}`);
    if (length < rule[0] || length > rule[1])
      return invalid(`bad length ${length} for type 0x${first.toString(16)}`);
    reader.skip(TYPED_HEADER);
    const frame = {
      kind: "typed",
      type: first,
      body: EMPTY,
      wireBytes: 1 + length,
      resynced: this.takeResynced(),
    } as const;
    return ok({
      name: "body",
      frame: { ...frame },
      kept: [],
      keep: this.kept.get(first) ?? 0,
      remaining: length - 4,
    });
  }

  private takeResynced(): boolean {
    const was = this.resynced;
    this.resynced = false;
    return was;
  }

  /** A gap inside a body is stepped over; what it hid of the kept prefix stays unread. */
  absorbGap(length: number): boolean {
    if (this.phase.name !== "body" || length > this.phase.remaining) return false;
    this.phase.remaining -= length;
    this.phase.keep = 0;
    return true;
  }

  /** The message whose body the gap ran past ended inside it: return it whole. */
  cutAtGap(): PostgresFrame | undefined {
    return this.phase.name === "body" ? this.finishBody(this.phase) : undefined;
  }

  endOfStream(): PostgresFrame | undefined {
    return undefined;
  }

  /**
   * A plausible message start: a known type with a legal length under the
   * resync bound, or (frontend) a legal startup-family header. A candidate is
   * judged on its own header only (5 or 8 bytes), so the answer does not depend on chunking.
   */
  findFrameBoundary(bytes: Buffer, from: number): number {
    for (let index = from; index < bytes.length; index++) {
      const first = bytes[index] as number;
      const startup = this.side === "frontend" && first === 0;
      // Undecided until the candidate's header is all there; the driver keeps those bytes.
      if (index + (startup ? STARTUP_HEADER : TYPED_HEADER) > bytes.length) return -1;
      if (startup) {
        if (startupHeaderValid(uint32At(bytes, index) ?? 0, uint32At(bytes, index + 4) ?? 0)) return index;
        continue;
      }
      const rule = this.lengths.get(first);
      const length = uint32At(bytes, index + 1) ?? 0;
      if (
        rule !== undefined &&
        length >= rule[0] &&
        length <= rule[1] &&
        length < PostgresLimits.maxResyncLength
      )
        return index;
    }
    return -1;
  }

  reset(): void {
    if (this.phase.name === "encrypted") return;
    this.phase = { name: "header" };
    this.resynced = true;
  }
}
