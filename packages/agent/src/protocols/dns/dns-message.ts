import { formatIpv4, formatIpv6 } from "../../capture/address-format.js";
import {
  DNS_HEADER_BYTES,
  DnsFlag,
  DnsOpcode,
  DnsType,
  LABEL_POINTER,
  MAX_LABEL_OCTETS,
  MAX_NAME_OCTETS,
} from "./dns-wire.js";

export interface DnsQuestion {
  name: string;
  type: number;
  class: number;
}

export interface DnsAnswer {
  name: string;
  type: number;
  /** Readable RDATA for address and name types; "" for the rest. */
  value: string;
}

export interface DnsMessage {
  id: number;
  response: boolean;
  opcode: number;
  rcode: number;
  truncatedFlag: boolean;
  question: DnsQuestion | undefined;
  answerCount: number;
  /** The first answers, in order (bounded: a TXT-heavy reply can hold hundreds). */
  answers: DnsAnswer[];
  /** Bytes on the wire, the TCP length prefix included. */
  wireBytes: number;
}

/** Answers kept per message; the count of all is kept separately. */
const MAX_KEPT_ANSWERS = 8;
/** Records per section we are willing to walk (65535 is allowed on paper, never seen). */
const MAX_RECORDS = 512;
/** Compression pointers followed for one name: each jumps strictly backwards, so this only bounds work. */
const MAX_POINTER_JUMPS = 64;

export type MessageParse =
  | { status: "ok"; message: DnsMessage; length: number }
  | { status: "short" }
  | { status: "invalid"; reason: string };

const SHORT = { status: "short" } as const;

/**
 * Sanity of a 12-byte header at `at` (needs `at + 12` bytes): enough to tell a
 * message start from noise when resyncing, and UDP framing from TCP's. One
 * question is what every real query carries (RFC 9619 makes QDCOUNT=1 mandatory for QUERY).
 */
export function plausibleHeader(bytes: Buffer, at: number): boolean {
  if (at + DNS_HEADER_BYTES > bytes.length) return false;
  const flags = bytes.readUInt16BE(at + 2);
  const opcode = (flags >> 11) & 0xf;
  if (!Object.values(DnsOpcode).includes(opcode as 0)) return false;
  if ((flags & DnsFlag.Z) !== 0) return false;
  if (bytes.readUInt16BE(at + 4) !== 1) return false;
  const isResponse = (flags & DnsFlag.QR) !== 0;
  // A query carries no RCODE (RFC 1035 §4.1.1: "set as part of responses").
  if (!isResponse && (flags & 0xf) !== 0) return false;
  for (const count of [6, 8, 10]) if (bytes.readUInt16BE(at + count) > MAX_RECORDS) return false;
  return true;
}

/**
 * Parses one message occupying `bytes[start..]`. `short` means it runs past the
 * bytes we have; with UDP framing that is the only way to find its end, since a
 * datagram carries no length (RFC 1035 §4.2.1).
 */
export function parseMessage(bytes: Buffer, start: number, end: number): MessageParse {
  if (end - start < DNS_HEADER_BYTES) return SHORT;
  if (!plausibleHeader(bytes, start)) return { status: "invalid", reason: "implausible DNS header" };
  const flags = bytes.readUInt16BE(start + 2);
  const counts = [4, 6, 8, 10].map((field) => bytes.readUInt16BE(start + field));
  const [questions = 0, answers = 0, authorities = 0, additionals = 0] = counts;
  const message: DnsMessage = {
    id: bytes.readUInt16BE(start),
    response: (flags & DnsFlag.QR) !== 0,
    opcode: (flags >> 11) & 0xf,
    rcode: flags & 0xf,
    truncatedFlag: (flags & DnsFlag.TC) !== 0,
    question: undefined,
    answerCount: answers,
    answers: [],
    wireBytes: 0,
  };
  const window = { bytes, start, end };
  let at = start + DNS_HEADER_BYTES;
  for (let index = 0; index < questions; index++) {
    const name = readName(window, at);
    if (name.status !== "ok") return name;
    at = name.next;
    if (at + 4 > end) return SHORT;
    message.question ??= { name: name.name, type: bytes.readUInt16BE(at), class: bytes.readUInt16BE(at + 2) };
    at += 4;
  }
  const records = answers + authorities + additionals;
  for (let index = 0; index < records; index++) {
    const name = readName(window, at);
    if (name.status !== "ok") return name;
    at = name.next;
    // TYPE, CLASS, TTL, RDLENGTH (RFC 1035 §4.1.3).
    if (at + 10 > end) return SHORT;
    const type = bytes.readUInt16BE(at);
    const rdLength = bytes.readUInt16BE(at + 8);
    const rdata = at + 10;
    if (rdata + rdLength > end) return SHORT;
    if (index < answers && message.answers.length < MAX_KEPT_ANSWERS) {
      const value = readableRdata(window, type, rdata, rdLength);
      if (value === undefined) return { status: "invalid", reason: "malformed RDATA" };
      message.answers.push({ name: name.name, type, value });
    }
    at = rdata + rdLength;
  }
  message.wireBytes = at - start;
  return { status: "ok", message, length: at - start };
}

interface Window {
  bytes: Buffer;
  /** The message's first byte: pointers are offsets from here. */
  start: number;
  end: number;
}

type NameRead = { status: "ok"; name: string; next: number } | { status: "short" } | MessageParseInvalid;
type MessageParseInvalid = { status: "invalid"; reason: string };

/**
 * A possibly compressed name (RFC 1035 §4.1.4). Every pointer must point before
 * the pointer itself — the "prior occurrence" the RFC describes — so a loop can
 * never be followed, and a pointer can never reach bytes not yet received.
 */
function readName(window: Window, from: number): NameRead {
  const { bytes, start, end } = window;
  const labels: string[] = [];
  let octets = 1;
  let at = from;
  let next: number | undefined;
  for (let jumps = 0; ; ) {
    if (at >= end) return SHORT;
    const length = bytes[at] ?? 0;
    if (length === 0)
      return { status: "ok", name: labels.length === 0 ? "." : labels.join("."), next: next ?? at + 1 };
    if ((length & LABEL_POINTER) === LABEL_POINTER) {
      if (at + 2 > end) return SHORT;
      const target = start + (bytes.readUInt16BE(at) & 0x3fff);
      if (target >= at || ++jumps > MAX_POINTER_JUMPS)
        return { status: "invalid", reason: "name pointer loop" };
      next ??= at + 2;
      at = target;
      continue;
    }
    // 01 and 10 prefixes were extended label types (RFC 6891 §5), unused in practice.
    if (length > MAX_LABEL_OCTETS) return { status: "invalid", reason: "reserved label type" };
    octets += length + 1;
    if (octets > MAX_NAME_OCTETS) return { status: "invalid", reason: "name longer than 255 octets" };
    if (at + 1 + length > end) return SHORT;
    labels.push(bytes.toString("latin1", at + 1, at + 1 + length));
    at += 1 + length;
  }
}

/** RDATA as text for the types users read in an answer list, or undefined when malformed. */
function readableRdata(window: Window, type: number, at: number, length: number): string | undefined {
  const { bytes } = window;
  const rdataWindow = { ...window, end: at + length };
  switch (type) {
    case DnsType.A:
      return length === 4 ? formatIpv4(bytes.subarray(at, at + 4)) : undefined;
    case DnsType.AAAA:
      return length === 16 ? formatIpv6(bytes.subarray(at, at + 16)) : undefined;
    case DnsType.CNAME:
    case DnsType.NS:
    case DnsType.PTR: {
      const name = readName(rdataWindow, at);
      return name.status === "ok" ? name.name : undefined;
    }
    case DnsType.MX: {
      // PREFERENCE then EXCHANGE (RFC 1035 §3.3.9).
      if (length < 3) return undefined;
      const name = readName(rdataWindow, at + 2);
      return name.status === "ok" ? `${bytes.readUInt16BE(at)} ${name.name}` : undefined;
    }
    default:
      return "";
  }
}
