// RESP2 and RESP3 wire syntax, from the protocol specification
// (redis/redis-specifications protocol/RESP3.md, and redis.io "Redis serialization
// protocol specification"). Every value starts with one type byte and a line
// ending in CRLF; bulk types carry a length and then that many bytes plus CRLF.

/** First byte of each RESP value. */
export const RespType = {
  SimpleString: 0x2b, // '+' RESP2
  SimpleError: 0x2d, // '-' RESP2
  Integer: 0x3a, // ':' RESP2
  BulkString: 0x24, // '$' RESP2 ($-1 is RESP2's null bulk)
  Array: 0x2a, // '*' RESP2 (*-1 is RESP2's null array)
  Null: 0x5f, // '_' RESP3
  Boolean: 0x23, // '#' RESP3
  Double: 0x2c, // ',' RESP3
  BigNumber: 0x28, // '(' RESP3
  BulkError: 0x21, // '!' RESP3
  VerbatimString: 0x3d, // '=' RESP3 (a 3-letter format, ':', then the text)
  Map: 0x25, // '%' RESP3 (n key/value pairs: 2n values)
  Set: 0x7e, // '~' RESP3
  Attribute: 0x7c, // '|' RESP3 (n pairs describing the value that follows; not a value itself)
  Push: 0x3e, // '>' RESP3 (out-of-band data: never the reply to a command)
} as const;
export type RespType = (typeof RespType)[keyof typeof RespType];

/** How a type's header line is followed. */
export type RespShape = "line" | "bulk" | "aggregate";

export const RESP_SHAPES: ReadonlyMap<number, RespShape> = new Map<number, RespShape>([
  [RespType.SimpleString, "line"],
  [RespType.SimpleError, "line"],
  [RespType.Integer, "line"],
  [RespType.Null, "line"],
  [RespType.Boolean, "line"],
  [RespType.Double, "line"],
  [RespType.BigNumber, "line"],
  [RespType.BulkString, "bulk"],
  [RespType.BulkError, "bulk"],
  [RespType.VerbatimString, "bulk"],
  [RespType.Array, "aggregate"],
  [RespType.Map, "aggregate"],
  [RespType.Set, "aggregate"],
  [RespType.Attribute, "aggregate"],
  [RespType.Push, "aggregate"],
]);

/** Names used in the `redis.reply_type` attribute. */
export const RESP_TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [RespType.SimpleString, "simple_string"],
  [RespType.SimpleError, "error"],
  [RespType.Integer, "integer"],
  [RespType.BulkString, "bulk_string"],
  [RespType.Array, "array"],
  [RespType.Null, "null"],
  [RespType.Boolean, "boolean"],
  [RespType.Double, "double"],
  [RespType.BigNumber, "big_number"],
  [RespType.BulkError, "bulk_error"],
  [RespType.VerbatimString, "verbatim_string"],
  [RespType.Map, "map"],
  [RespType.Set, "set"],
  [RespType.Push, "push"],
]);

export const CRLF = "\r\n";

export const RespLimits = {
  /** Longest header or simple line we wait for; Redis' own inline limit is 64 KiB (PROTO_INLINE_MAX_SIZE). */
  maxLineLength: 64 * 1024,
  /** Bulk strings may be 512 MB (proto-max-bulk-len default). */
  maxBulkLength: 512 * 1024 * 1024,
  /** Elements per aggregate; beyond this the bytes are not RESP we can trust. */
  maxAggregateLength: 1 << 24,
  /** Nesting depth; real replies nest a few levels (XREAD, CLUSTER SLOTS). */
  maxDepth: 32,
  /** Command words and arguments kept per message (command, subcommand, keys). */
  maxKeptStrings: 8,
  /** Bytes kept of each kept string. */
  maxKeptStringLength: 256,
} as const;
