import { type BsonScalar, scanDocument } from "./bson-scan.js";
import { HEADER_BYTES, MsgFlag, OpCode, SectionKind } from "./mongo-wire.js";

export interface MongoMessage {
  requestId: number;
  responseTo: number;
  opCode: number;
  /** OP_MSG moreToCome: a request with no reply (w:0), or an exhaust reply with more after it. */
  moreToCome: boolean;
  /** The body's first key (the command name, OP_MSG and OP_QUERY on $cmd) and its value when a string. */
  command: string | undefined;
  collection: string | undefined;
  database: string | undefined;
  /** Document sequences (kind 1): identifier and how many documents. */
  sequences: Array<{ identifier: string; documents: number }>;
  /** Reply fields: ok (1 or 0), errmsg, code, codeName. */
  ok: number | undefined;
  errmsg: string | undefined;
  code: number | undefined;
  codeName: string | undefined;
  /** Only the first bytes of a large message were decoded. */
  partial: boolean;
  wireBytes: number;
}

/** A body's scalars by name. */
function fieldMap(fields: Array<[string, BsonScalar]>): Map<string, BsonScalar> {
  return new Map(fields);
}

function asString(value: BsonScalar): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function asNumber(value: BsonScalar): number | undefined {
  if (typeof value === "boolean") return value ? 1 : 0;
  return typeof value === "number" ? value : undefined;
}

/**
 * Decodes a message whose first `available` bytes are at `bytes[0..]` (all of
 * it unless `partial`), or returns why it is malformed. Layouts, from the wire
 * protocol reference: OP_MSG = header, flagBits uint32, sections, optional
 * CRC-32C; OP_QUERY = header, flags, fullCollectionName cstring, numberToSkip,
 * numberToReturn, query document; OP_REPLY = header, responseFlags, cursorID
 * int64, startingFrom, numberReturned, documents.
 */
export function decodeMessage(bytes: Buffer, length: number, partial: boolean): MongoMessage | string {
  const end = Math.min(bytes.length, length);
  const message: MongoMessage = {
    requestId: bytes.readInt32LE(4),
    responseTo: bytes.readInt32LE(8),
    opCode: bytes.readInt32LE(12),
    moreToCome: false,
    command: undefined,
    collection: undefined,
    database: undefined,
    sequences: [],
    ok: undefined,
    errmsg: undefined,
    code: undefined,
    codeName: undefined,
    partial,
    wireBytes: length,
  };
  let body: Array<[string, BsonScalar]> | undefined;
  switch (message.opCode) {
    case OpCode.Msg: {
      if (end < HEADER_BYTES + 4) return "OP_MSG without flagBits";
      const flags = bytes.readUInt32LE(HEADER_BYTES);
      // Unknown required bits (0-15) mean a message we cannot read (the spec says close the connection).
      if ((flags & 0xfffc) !== 0) return "OP_MSG with unknown required flag bits";
      message.moreToCome = (flags & MsgFlag.MoreToCome) !== 0;
      const sectionsEnd = partial ? end : length - ((flags & MsgFlag.ChecksumPresent) !== 0 ? 4 : 0);
      for (let at = HEADER_BYTES + 4; at < sectionsEnd; ) {
        const kind = bytes[at];
        if (kind === SectionKind.Body) {
          const document = scanDocument(bytes, at + 1, sectionsEnd, partial);
          if (typeof document === "string") return document;
          body ??= document.fields;
          at += 1 + document.length;
        } else if (kind === SectionKind.DocumentSequence) {
          if (at + 5 > sectionsEnd)
            return partial ? finish(message, body) : "document sequence header cut short";
          const size = bytes.readInt32LE(at + 1);
          const sequenceEnd = at + 1 + size;
          const identifierEnd = bytes.indexOf(0, at + 5);
          if (
            size < 5 ||
            identifierEnd < 0 ||
            (!partial && (sequenceEnd > sectionsEnd || identifierEnd >= sequenceEnd))
          )
            return "malformed document sequence";
          const sequence = { identifier: bytes.toString("utf8", at + 5, identifierEnd), documents: 0 };
          for (let document = identifierEnd + 1; document < Math.min(sequenceEnd, sectionsEnd); ) {
            const scanned = scanDocument(bytes, document, Math.min(sequenceEnd, sectionsEnd), partial);
            if (typeof scanned === "string") return scanned;
            sequence.documents++;
            document += scanned.length;
          }
          message.sequences.push(sequence);
          at = sequenceEnd;
        } else {
          return "unknown OP_MSG section kind";
        }
      }
      if (body === undefined && !partial) return "OP_MSG without a body section";
      return finish(message, body);
    }
    case OpCode.Query: {
      const nameEnd = bytes.indexOf(0, HEADER_BYTES + 4);
      if (nameEnd < 0 || nameEnd >= end)
        return partial ? finish(message, body) : "OP_QUERY collection unterminated";
      const fullName = bytes.toString("utf8", HEADER_BYTES + 4, nameEnd);
      const document = scanDocument(bytes, nameEnd + 1 + 8, end, partial);
      if (typeof document === "string") return document;
      // "db.$cmd" carries a command; any other name is a legacy query on that collection.
      const dot = fullName.indexOf(".");
      const database = dot < 0 ? fullName : fullName.slice(0, dot);
      const collection = dot < 0 ? "" : fullName.slice(dot + 1);
      finish(message, document.fields);
      message.database = database;
      if (collection !== "$cmd") {
        message.command = "query";
        message.collection = collection;
      }
      return message;
    }
    case OpCode.Reply: {
      const first = HEADER_BYTES + 20;
      if (end < first) return "OP_REPLY cut short";
      if (bytes.readInt32LE(HEADER_BYTES + 16) > 0 && first < end) {
        const document = scanDocument(bytes, first, end, partial);
        if (typeof document === "string") return document;
        body = document.fields;
      }
      return finish(message, body);
    }
    case OpCode.Compressed: {
      // Compressed with snappy, zlib or zstd: the command cannot be read without inflating it.
      message.command = "compressed";
      return message;
    }
    default:
      return "unknown opCode";
  }
}

function finish(message: MongoMessage, body: Array<[string, BsonScalar]> | undefined): MongoMessage {
  if (body === undefined) return message;
  const fields = fieldMap(body);
  const [first] = body;
  if (first !== undefined) {
    message.command = first[0];
    message.collection = asString(first[1]);
  }
  message.database = asString(fields.get("$db"));
  message.ok = asNumber(fields.get("ok"));
  message.errmsg = asString(fields.get("errmsg"));
  message.code = asNumber(fields.get("code"));
  message.codeName = asString(fields.get("codeName"));
  return message;
}
