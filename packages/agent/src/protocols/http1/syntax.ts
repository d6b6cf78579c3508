// Wire grammar of HTTP/1.x (RFC 9110 §5.6.2 tokens, RFC 9112 §2–§7 messages).

export const Http1Limits = {
  /** Request line + status line + headers; Node's default max header size is 16 KiB. */
  maxHeadBytes: 16 * 1024,
  maxHeaderCount: 128,
  maxMethodLength: 24,
  /** A chunk-size line with extensions (RFC 9112 §7.1.1). */
  maxChunkLineBytes: 1024,
  maxTrailerBytes: 8 * 1024,
} as const;

export const Ascii = {
  Tab: 0x09,
  LineFeed: 0x0a,
  CarriageReturn: 0x0d,
  Space: 0x20,
  Colon: 0x3a, // ':'
  Semicolon: 0x3b, // ';'
} as const;

export const CRLF = "\r\n";
export const HEAD_TERMINATOR = "\r\n\r\n";
export const VERSION_PREFIX = "HTTP/1.";

// tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
const TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";
const tokenTable = new Uint8Array(256);
for (let code = 0x30; code <= 0x39; code++) tokenTable[code] = 1;
for (let code = 0x41; code <= 0x5a; code++) tokenTable[code] = 1;
for (let code = 0x61; code <= 0x7a; code++) tokenTable[code] = 1;
for (const symbol of TOKEN_SYMBOLS) tokenTable[symbol.charCodeAt(0)] = 1;

export function isTokenByte(byte: number): boolean {
  return tokenTable[byte] === 1;
}

/** Methods are tokens; in practice upper-case letters, '-' and '_' (WebDAV, custom verbs). */
export function isMethodByte(byte: number): boolean {
  return (byte >= 0x41 && byte <= 0x5a) || byte === 0x2d || byte === 0x5f;
}

/** request-target bytes: visible ASCII and obs-text, never whitespace or controls. */
export function isTargetByte(byte: number): boolean {
  return byte > 0x20 && byte !== 0x7f;
}

/** field-value bytes: visible, space, tab and obs-text (RFC 9110 §5.5). */
export function isFieldValueByte(byte: number): boolean {
  return byte === Ascii.Tab || (byte >= 0x20 && byte !== 0x7f);
}

export function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}
