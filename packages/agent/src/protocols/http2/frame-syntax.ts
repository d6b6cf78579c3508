// HTTP/2 wire constants (RFC 9113) and the 9-octet frame header.

/** §3.4: the client connection preface, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", before the client's SETTINGS. */
export const CLIENT_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

/** §4.1: Length (24) + Type (8) + Flags (8) + R (1) + Stream Identifier (31). */
export const FRAME_HEADER_LENGTH = 9;

/** §6 frame types. */
export const FrameType = {
  Data: 0x0,
  Headers: 0x1,
  Priority: 0x2,
  RstStream: 0x3,
  Settings: 0x4,
  PushPromise: 0x5,
  Ping: 0x6,
  GoAway: 0x7,
  WindowUpdate: 0x8,
  Continuation: 0x9,
} as const;

/** §6 flags; each frame type defines its own subset. */
export const FrameFlag = {
  EndStream: 0x1, // DATA, HEADERS
  Ack: 0x1, // SETTINGS, PING
  EndHeaders: 0x4, // HEADERS, PUSH_PROMISE, CONTINUATION
  Padded: 0x8, // DATA, HEADERS, PUSH_PROMISE
  Priority: 0x20, // HEADERS
} as const;

/** §6.5.2 SETTINGS parameters the parser acts on. */
export const SettingsParameter = {
  HeaderTableSize: 0x1,
  MaxFrameSize: 0x5,
} as const;

/** §7 error codes (RST_STREAM, GOAWAY), by their names in records. */
export const ERROR_CODE_NAMES: Readonly<Record<number, string>> = {
  0: "NO_ERROR",
  1: "PROTOCOL_ERROR",
  2: "INTERNAL_ERROR",
  3: "FLOW_CONTROL_ERROR",
  4: "SETTINGS_TIMEOUT",
  5: "STREAM_CLOSED",
  6: "FRAME_SIZE_ERROR",
  7: "REFUSED_STREAM",
  8: "CANCEL",
  9: "COMPRESSION_ERROR",
  10: "CONNECT_ERROR",
  11: "ENHANCE_YOUR_CALM",
  12: "INADEQUATE_SECURITY",
  13: "HTTP_1_1_REQUIRED",
};

export function errorCodeName(code: number): string {
  return ERROR_CODE_NAMES[code] ?? `0x${code.toString(16)}`;
}

/** §4.2: SETTINGS_MAX_FRAME_SIZE starts at 2^14 and can be raised to 2^24-1. */
export const FrameSizeLimit = {
  initial: 1 << 14,
  largest: (1 << 24) - 1,
} as const;

export interface FrameHeader {
  length: number;
  type: number;
  flags: number;
  streamId: number;
}

export function readFrameHeader(bytes: Buffer, at: number): FrameHeader | undefined {
  if (at + FRAME_HEADER_LENGTH > bytes.length) return undefined;
  return {
    length: bytes.readUIntBE(at, 3),
    type: bytes[at + 3] ?? 0,
    flags: bytes[at + 4] ?? 0,
    // The reserved bit is ignored on receipt (§4.1).
    streamId: bytes.readUInt32BE(at + 5) & 0x7fffffff,
  };
}

/** Flags each known type defines; any other bit set makes a header implausible when resyncing. */
const DEFINED_FLAGS: Readonly<Record<number, number>> = {
  [FrameType.Data]: FrameFlag.EndStream | FrameFlag.Padded,
  [FrameType.Headers]: FrameFlag.EndStream | FrameFlag.EndHeaders | FrameFlag.Padded | FrameFlag.Priority,
  [FrameType.Priority]: 0,
  [FrameType.RstStream]: 0,
  [FrameType.Settings]: FrameFlag.Ack,
  [FrameType.PushPromise]: FrameFlag.EndHeaders | FrameFlag.Padded,
  [FrameType.Ping]: FrameFlag.Ack,
  [FrameType.GoAway]: 0,
  [FrameType.WindowUpdate]: 0,
  [FrameType.Continuation]: FrameFlag.EndHeaders,
};

/**
 * Whether a frame header is one a peer could send: known type, only its
 * defined flags, the stream-id rule of §6 for the type, its fixed length, and
 * within the default frame size. Used only to find a frame start after lost
 * bytes, so it is strict: unknown types and the reserved bit are refused here.
 */
export function isPlausibleFrameHeader(bytes: Buffer, at: number): boolean {
  const header = readFrameHeader(bytes, at);
  if (header === undefined || (bytes[at + 5] ?? 0) & 0x80) return false;
  const { length, type, flags, streamId } = header;
  const defined = DEFINED_FLAGS[type];
  if (defined === undefined || (flags & ~defined) !== 0 || length > FrameSizeLimit.initial) return false;
  switch (type) {
    case FrameType.Settings:
      return streamId === 0 && length % 6 === 0 && (flags === 0 || length === 0);
    case FrameType.Ping:
      return streamId === 0 && length === 8;
    case FrameType.GoAway:
      return streamId === 0 && length >= 8;
    case FrameType.WindowUpdate:
      return length === 4;
    case FrameType.Priority:
      return streamId !== 0 && length === 5;
    case FrameType.RstStream:
      return streamId !== 0 && length === 4;
    default:
      return streamId !== 0;
  }
}
