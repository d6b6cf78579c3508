import type { BufferReader } from "../buffer-reader.js";
import type { MessageDecoder } from "../message-decoder.js";
import { invalid, needsMoreData, ok, type ParseResult } from "../parse-result.js";
import { Command, MAX_PAYLOAD, MysqlLimits, PACKET_HEADER, ResponseHeader } from "./mysql-wire.js";

/** One logical packet (continuations of a 16 MiB payload merged), with the first bytes of its payload. */
export interface MysqlPacket {
  sequenceId: number;
  payloadLength: number;
  /** A copy of the payload's first bytes, as many as the packet's kind needs; never the rest. */
  body: Buffer;
  wireBytes: number;
  /** First packet after the decoder lost its place: what came before it is unknown. */
  resynced: boolean;
}

/** Legal payload lengths of a command packet: fixed-size commands are the resync's best evidence. */
const COMMAND_LENGTHS: ReadonlyMap<number, readonly [number, number]> = new Map<
  number,
  readonly [number, number]
>([
  [Command.Quit, [1, 1]],
  [Command.InitDb, [2, MAX_PAYLOAD]],
  [Command.Query, [2, MAX_PAYLOAD]],
  [Command.FieldList, [2, MAX_PAYLOAD]],
  [Command.CreateDb, [2, MAX_PAYLOAD]],
  [Command.DropDb, [2, MAX_PAYLOAD]],
  [Command.Refresh, [2, 2]],
  [Command.Shutdown, [1, 2]],
  [Command.Statistics, [1, 1]],
  [Command.ProcessInfo, [1, 1]],
  [Command.ProcessKill, [5, 5]],
  [Command.Debug, [1, 1]],
  [Command.Ping, [1, 1]],
  [Command.ChangeUser, [2, MAX_PAYLOAD]],
  [Command.BinlogDump, [11, MAX_PAYLOAD]],
  [Command.RegisterSlave, [2, MAX_PAYLOAD]],
  [Command.StmtPrepare, [2, MAX_PAYLOAD]],
  // statement id (4), flags (1), iteration count (4): 10 with the command byte.
  [Command.StmtExecute, [10, MAX_PAYLOAD]],
  [Command.StmtSendLongData, [7, MAX_PAYLOAD]],
  [Command.StmtClose, [5, 5]],
  [Command.StmtReset, [5, 5]],
  [Command.SetOption, [3, 3]],
  [Command.StmtFetch, [9, 9]],
  [Command.BinlogDumpGtid, [2, MAX_PAYLOAD]],
  [Command.ResetConnection, [1, 1]],
  [Command.StmtBulkExecute, [7, MAX_PAYLOAD]],
]);

const SQL_COMMANDS: ReadonlySet<number> = new Set([Command.Query, Command.StmtPrepare, Command.InitDb]);
const STATEMENT_COMMANDS: ReadonlySet<number> = new Set([
  Command.StmtExecute,
  Command.StmtClose,
  Command.StmtReset,
  Command.StmtFetch,
  Command.StmtSendLongData,
  Command.StmtBulkExecute,
]);

/** Lookback the resync search needs: an ERR candidate is judged on 8 bytes (header, 0xff, code, '#'). */
const RESYNC_WINDOW = 8;
const SMALL_PACKET = 1024;

function payloadLengthAt(bytes: Buffer, at: number): number {
  return (bytes[at] as number) | ((bytes[at + 1] as number) << 8) | ((bytes[at + 2] as number) << 16);
}

type Phase =
  | { name: "header" }
  /** Inside a payload: its first `keep` bytes are copied as they pass, the rest skipped. */
  | {
      name: "payload";
      packet: MysqlPacket;
      kept: Buffer[];
      keep: number;
      remaining: number;
      continues: boolean;
    }
  /** The client asked for TLS (SSLRequest): the rest is encrypted. */
  | { name: "encrypted" };

/**
 * One direction of a MySQL connection, cut into packets. Client packets with
 * sequence id 0 open a command and must name a known one; everything else is
 * framing only, and what a server packet means is the parser's business (it
 * depends on the command it answers).
 */
export class MysqlPacketDecoder implements MessageDecoder<MysqlPacket> {
  readonly boundaryLookback = RESYNC_WINDOW;
  private phase: Phase = { name: "header" };
  /** The logical packet a 0xffffff-long physical packet continues. */
  private continuing: MysqlPacket | undefined;
  private resynced = false;

  constructor(readonly side: "client" | "server") {}

  get midMessage(): boolean {
    return this.phase.name === "payload" || this.continuing !== undefined;
  }

  get finished(): boolean {
    return this.phase.name === "encrypted";
  }

  /** TLS follows an SSLRequest: stop reading. */
  encrypted(): void {
    this.phase = { name: "encrypted" };
    this.continuing = undefined;
  }

  decode(reader: BufferReader): ParseResult<MysqlPacket> {
    for (;;) {
      if (this.phase.name === "encrypted") return needsMoreData;
      if (this.phase.name === "header") {
        const head = this.decodeHead(reader);
        if (head.status !== "ok") return head;
        this.phase = head.value;
      }
      if (this.phase.name !== "payload") return needsMoreData;
      const phase = this.phase;
      const step = Math.min(phase.remaining, reader.remaining);
      const bytes = reader.readBytes(step);
      if (phase.keep > 0) {
        const kept = bytes.subarray(0, phase.keep);
        phase.kept.push(Buffer.from(kept));
        phase.keep -= kept.length;
      }
      phase.remaining -= step;
      if (phase.remaining > 0) return needsMoreData;
      const packet = this.finishPayload(phase);
      if (!phase.continues) {
        this.continuing = undefined;
        return ok(packet);
      }
      this.continuing = packet;
    }
  }

  private finishPayload(phase: Phase & { name: "payload" }): MysqlPacket {
    this.phase = { name: "header" };
    if (phase.kept.length > 0) phase.packet.body = Buffer.concat([phase.packet.body, ...phase.kept]);
    phase.kept = [];
    return phase.packet;
  }

  /**
   * Reads a header (and the payload's first byte, which names the packet) and
   * consumes it at once: from there on a gap lands inside the packet, where it
   * can be stepped over, instead of stalling before it.
   */
  private decodeHead(reader: BufferReader): ParseResult<Phase & { name: "payload" }> {
    if (reader.remaining < PACKET_HEADER) return needsMoreData;
    const header = reader.readBytes(PACKET_HEADER);
    reader.rewind(reader.position - PACKET_HEADER);
    const length = payloadLengthAt(header, 0);
    const sequenceId = header[3] as number;
    const first = reader.peekByte(PACKET_HEADER);
    if (length > 0 && first === undefined) return needsMoreData;
    const continued = this.continuing;
    if (continued === undefined && this.side === "client" && sequenceId === 0) {
      const rule = first === undefined ? undefined : COMMAND_LENGTHS.get(first);
      if (rule === undefined) return invalid(`unknown command 0x${(first ?? 0).toString(16)}`);
      if (length < rule[0] || length > rule[1]) return invalid(`bad length ${length} for command ${first}`);
    }
    reader.skip(PACKET_HEADER);
    const keep = continued === undefined ? Math.min(length, this.keptBytes(sequenceId, first)) : 0;
    const packet: MysqlPacket = continued ?? {
      sequenceId,
      payloadLength: 0,
      body: Buffer.alloc(0),
      wireBytes: 0,
      resynced: this.takeResynced(),
    };
    packet.payloadLength += length;
    packet.wireBytes += PACKET_HEADER + length;
    return ok({
      name: "payload",
      packet,
      kept: [],
      keep,
      remaining: length,
      continues: length === MAX_PAYLOAD,
    });
  }

  /** How much of a packet's payload the parser reads: SQL text, names, status fields; never row data. */
  private keptBytes(sequenceId: number, first: number | undefined): number {
    if (this.side === "client") {
      if (sequenceId === 1) return MysqlLimits.keptHandshakeBytes;
      if (sequenceId !== 0 || first === undefined) return 0;
      if (SQL_COMMANDS.has(first)) return MysqlLimits.keptSqlBytes;
      return STATEMENT_COMMANDS.has(first) ? 5 : 1;
    }
    switch (first) {
      case ResponseHeader.Err:
        return MysqlLimits.keptResponseBytes;
      case ResponseHeader.Ok:
      case ResponseHeader.Eof:
        return 64;
      case ResponseHeader.HandshakeV10:
        return sequenceId === 0 ? 128 : 9;
      default:
        // A column count or a row's first length: a length-encoded integer is at most 9 bytes.
        return 9;
    }
  }

  private takeResynced(): boolean {
    const was = this.resynced;
    this.resynced = false;
    return was;
  }

  /** A gap inside a payload is stepped over; what it hid of the kept prefix stays unread. */
  absorbGap(length: number): boolean {
    if (this.phase.name !== "payload" || length > this.phase.remaining) return false;
    this.phase.remaining -= length;
    this.phase.keep = 0;
    return true;
  }

  /** The packet whose payload the gap ran past ended inside it: return it. */
  cutAtGap(): MysqlPacket | undefined {
    if (this.phase.name !== "payload") return undefined;
    const packet = this.finishPayload(this.phase);
    this.continuing = undefined;
    return packet;
  }

  endOfStream(): MysqlPacket | undefined {
    return undefined;
  }

  /**
   * Client: a command packet (sequence id 0, known command, legal length).
   * Server: only packets that end a response — EOF (0xfe, 5 bytes), OK in EOF's
   * place (0xfe, short), ERR (0xff, with the '#' of its SQLSTATE marker) — as
   * the parser then waits for one anyway. Each candidate is judged on its own
   * first bytes, so the answer does not depend on chunking.
   */
  findFrameBoundary(bytes: Buffer, from: number): number {
    for (let index = from; index < bytes.length; index++) {
      const need = this.side === "server" && bytes[index + PACKET_HEADER] === ResponseHeader.Err ? 8 : 5;
      if (index + need > bytes.length) return -1;
      const length = payloadLengthAt(bytes, index);
      const sequenceId = bytes[index + 3];
      const first = bytes[index + PACKET_HEADER] as number;
      if (this.side === "client") {
        const rule = COMMAND_LENGTHS.get(first);
        if (sequenceId === 0 && rule !== undefined && length >= rule[0] && length <= rule[1]) return index;
      } else if (first === ResponseHeader.Eof) {
        if (length === 5 || (length >= 7 && length < SMALL_PACKET)) return index;
      } else if (first === ResponseHeader.Ok) {
        // A command's OK is its answer's first packet (sequence 1; 2 after a handshake response).
        if ((sequenceId === 1 || sequenceId === 2) && length >= 7 && length < 64) return index;
      } else if (first === ResponseHeader.Err) {
        if (length >= 9 && length < SMALL_PACKET && bytes[index + 7] === 0x23 /* '#' */) return index;
      }
    }
    return -1;
  }

  reset(): void {
    if (this.phase.name === "encrypted") return;
    this.phase = { name: "header" };
    this.continuing = undefined;
    this.resynced = true;
  }
}
