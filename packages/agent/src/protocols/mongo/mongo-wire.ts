// MongoDB wire protocol constants: "MongoDB Wire Protocol" (mongodb.com/docs/
// manual/reference/mongodb-wire-protocol) and the BSON 1.1 spec (bsonspec.org).

/** Standard message header: messageLength, requestID, responseTo, opCode, all int32 little-endian. */
export const HEADER_BYTES = 16;

export const OpCode = {
  Reply: 1, // OP_REPLY, legacy: answers OP_QUERY
  Query: 2004, // OP_QUERY, legacy: still sends the first handshake ("isMaster"/"hello")
  Compressed: 2012, // OP_COMPRESSED wraps another opcode
  Msg: 2013, // OP_MSG, MongoDB 3.6+
} as const;

/** OP_MSG flagBits (bits 0-15 must be understood, 16-31 may be ignored). */
export const MsgFlag = {
  ChecksumPresent: 1 << 0, // a CRC-32C trails the sections
  MoreToCome: 1 << 1, // no reply follows this request (w:0), or more replies follow this one (exhaust)
  ExhaustAllowed: 1 << 16,
} as const;

/** OP_MSG section kinds. */
export const SectionKind = { Body: 0, DocumentSequence: 1 } as const;

/** Servers default to 48 MB (maxMessageSizeBytes); anything larger is not a MongoDB frame. */
export const MAX_MESSAGE_BYTES = 48_000_000;

/** BSON element types and their fixed value sizes (-1: sized by the value itself). */
export const BsonType = {
  Double: 0x01,
  String: 0x02,
  Document: 0x03,
  Array: 0x04,
  Binary: 0x05,
  Undefined: 0x06,
  ObjectId: 0x07,
  Boolean: 0x08,
  DateTime: 0x09,
  Null: 0x0a,
  Regex: 0x0b,
  DbPointer: 0x0c,
  JavaScript: 0x0d,
  Symbol: 0x0e,
  JavaScriptWithScope: 0x0f,
  Int32: 0x10,
  Timestamp: 0x11,
  Int64: 0x12,
  Decimal128: 0x13,
  MinKey: 0xff,
  MaxKey: 0x7f,
} as const;
