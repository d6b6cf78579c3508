import { BsonType } from "./mongo-wire.js";

/** A top-level field's value, as far as a record needs it. */
export type BsonScalar = string | number | boolean | null | undefined;

export interface ScannedDocument {
  /** Top-level keys in order, with scalars decoded (documents and arrays: undefined). */
  fields: Array<[string, BsonScalar]>;
  /** The document's length on the wire. */
  length: number;
}

/** Keys read per document: a command's interesting ones come first; a result can have thousands. */
const MAX_SCANNED_FIELDS = 64;

/**
 * Walks the top level of one BSON document at `at` (BSON 1.1: int32 total
 * length, elements of type byte + cstring name + value, then 0x00) without
 * descending into sub-documents. `prefixOnly`: `end` cuts the document short
 * and the fields before the cut are returned. Returns a reason string when malformed: a
 * length pointing outside the document, an unknown type, a missing terminator.
 */
export function scanDocument(
  bytes: Buffer,
  at: number,
  end: number,
  prefixOnly = false,
): ScannedDocument | string {
  if (at + 5 > end) return "BSON document runs past its message";
  const length = bytes.readInt32LE(at);
  if (length < 5 || (!prefixOnly && at + length > end)) return "BSON document length out of bounds";
  const documentEnd = Math.min(at + length - 1, end);
  if (!prefixOnly && bytes[documentEnd] !== 0) return "BSON document without its terminator";
  const fields: Array<[string, BsonScalar]> = [];
  for (let cursor = at + 4; cursor < documentEnd; ) {
    const type = bytes[cursor] ?? 0;
    const nameEnd = bytes.indexOf(0, cursor + 1);
    if (nameEnd < 0 || nameEnd >= documentEnd)
      return prefixOnly ? { fields, length } : "BSON element name unterminated";
    const name = bytes.toString("utf8", cursor + 1, nameEnd);
    const value = nameEnd + 1;
    const size = valueSize(bytes, type, value, documentEnd);
    // Only the first bytes of a huge message are kept: the fields before the cut are still good.
    if (typeof size === "string") return prefixOnly ? { fields, length } : size;
    if (fields.length < MAX_SCANNED_FIELDS) fields.push([name, scalarAt(bytes, type, value)]);
    cursor = value + size;
  }
  return { fields, length };
}

/** Bytes the value of a `type` element takes at `at`, or a reason it cannot. */
function valueSize(bytes: Buffer, type: number, at: number, end: number): number | string {
  const fixed = FIXED_SIZES.get(type);
  if (fixed !== undefined) return at + fixed <= end ? fixed : "BSON value runs past its document";
  const int32 = () => (at + 4 <= end ? bytes.readInt32LE(at) : -1);
  let size: number;
  switch (type) {
    case BsonType.String:
    case BsonType.JavaScript:
    case BsonType.Symbol:
      size = int32() < 1 ? -1 : 4 + int32();
      break;
    case BsonType.DbPointer:
      size = int32() < 1 ? -1 : 4 + int32() + 12;
      break;
    case BsonType.Document:
    case BsonType.Array:
    case BsonType.JavaScriptWithScope:
      size = int32() < 5 ? -1 : int32();
      break;
    case BsonType.Binary:
      size = int32() < 0 ? -1 : 4 + 1 + int32();
      break;
    case BsonType.Regex: {
      const pattern = bytes.indexOf(0, at);
      const options = pattern < 0 ? -1 : bytes.indexOf(0, pattern + 1);
      size = options < 0 ? -1 : options + 1 - at;
      break;
    }
    default:
      return "unknown BSON element type";
  }
  return size < 0 || at + size > end ? "BSON value runs past its document" : size;
}

const FIXED_SIZES = new Map<number, number>([
  [BsonType.Double, 8],
  [BsonType.Undefined, 0],
  [BsonType.ObjectId, 12],
  [BsonType.Boolean, 1],
  [BsonType.DateTime, 8],
  [BsonType.Null, 0],
  [BsonType.Int32, 4],
  [BsonType.Timestamp, 8],
  [BsonType.Int64, 8],
  [BsonType.Decimal128, 16],
  [BsonType.MinKey, 0],
  [BsonType.MaxKey, 0],
]);

/** Strings, numbers and booleans; the rest are not needed by a record. */
function scalarAt(bytes: Buffer, type: number, at: number): BsonScalar {
  switch (type) {
    case BsonType.String:
      return bytes.toString("utf8", at + 4, at + 4 + bytes.readInt32LE(at) - 1);
    case BsonType.Double:
      return bytes.readDoubleLE(at);
    case BsonType.Int32:
      return bytes.readInt32LE(at);
    case BsonType.Int64:
      return Number(bytes.readBigInt64LE(at));
    case BsonType.Boolean:
      return bytes[at] !== 0;
    case BsonType.Null:
      return null;
    default:
      return undefined;
  }
}
