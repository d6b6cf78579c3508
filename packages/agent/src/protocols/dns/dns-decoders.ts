import type { BufferReader } from "../buffer-reader.js";
import type { MessageDecoder } from "../message-decoder.js";
import { invalid, needsMoreData, ok, type ParseResult } from "../parse-result.js";
import { type DnsMessage, parseMessage, plausibleHeader } from "./dns-message.js";
import { DNS_HEADER_BYTES, MAX_MESSAGE_BYTES } from "./dns-wire.js";

/** How messages are delimited on this stream. */
export type DnsFraming = "udp" | "tcp";

/** Bytes that settle the framing: a TCP length prefix plus the header behind it. */
const FRAMING_PROBE_BYTES = 2 + DNS_HEADER_BYTES;

/**
 * One direction of DNS over UDP or TCP. The capture hands UDP datagrams back to
 * back in one stream, so a message's end is found by walking its own structure;
 * over TCP each message has a two-byte length prefix (RFC 1035 §4.2.2; RFC 7766
 * for several on one connection). Which one is decided once, from the first
 * bytes: a TCP prefix is followed by a sane header, while a datagram's ID and
 * flags read as a "length" leave QDCOUNT=1 where the header's flags would be —
 * a query with RCODE 1, which no client sends.
 */
export class DnsDecoder implements MessageDecoder<DnsMessage> {
  readonly boundaryLookback = FRAMING_PROBE_BYTES;
  readonly midMessage = false;
  readonly finished = false;
  private framing: DnsFraming | undefined;

  get transport(): DnsFraming | undefined {
    return this.framing;
  }

  decode(reader: BufferReader): ParseResult<DnsMessage> {
    const start = reader.position;
    const bytes = reader.readBytes(reader.remaining);
    reader.rewind(start);
    if (this.framing === undefined) {
      if (bytes.length < FRAMING_PROBE_BYTES) return needsMoreData;
      const framing = detectFraming(bytes, 0);
      if (framing === undefined) return invalid("neither a DNS datagram nor a length-prefixed message");
      this.framing = framing;
    }
    return this.framing === "tcp" ? decodeTcp(reader, bytes) : decodeUdp(reader, bytes);
  }

  absorbGap(): boolean {
    return false;
  }

  cutAtGap(): DnsMessage | undefined {
    return undefined;
  }

  endOfStream(): DnsMessage | undefined {
    return undefined;
  }

  findFrameBoundary(bytes: Buffer, from: number): number {
    for (let index = from; index + FRAMING_PROBE_BYTES <= bytes.length; index++) {
      const framing = detectFraming(bytes, index);
      if (framing !== undefined && (this.framing === undefined || framing === this.framing)) return index;
    }
    return -1;
  }

  reset(): void {}
}

/** Needs FRAMING_PROBE_BYTES from `at`. TCP is checked first: a datagram never passes its test. */
function detectFraming(bytes: Buffer, at: number): DnsFraming | undefined {
  if (bytes.readUInt16BE(at) >= DNS_HEADER_BYTES && plausibleHeader(bytes, at + 2)) return "tcp";
  if (plausibleHeader(bytes, at)) return "udp";
  return undefined;
}

function decodeTcp(reader: BufferReader, bytes: Buffer): ParseResult<DnsMessage> {
  if (bytes.length < 2) return needsMoreData;
  const length = bytes.readUInt16BE(0);
  if (length < DNS_HEADER_BYTES) return invalid("TCP DNS message shorter than a header");
  if (bytes.length < 2 + length) return needsMoreData;
  const parsed = parseMessage(bytes, 2, 2 + length);
  if (parsed.status === "short") return invalid("DNS message runs past its length prefix");
  if (parsed.status === "invalid") return invalid(parsed.reason);
  // Bytes after the last record but inside the prefix are padding we step over.
  reader.skip(2 + length);
  return ok({ ...parsed.message, wireBytes: 2 + length });
}

function decodeUdp(reader: BufferReader, bytes: Buffer): ParseResult<DnsMessage> {
  const parsed = parseMessage(bytes, 0, bytes.length);
  if (parsed.status === "short")
    return bytes.length > MAX_MESSAGE_BYTES ? invalid("DNS message longer than 65535 bytes") : needsMoreData;
  if (parsed.status === "invalid") return invalid(parsed.reason);
  reader.skip(parsed.length);
  return ok(parsed.message);
}
