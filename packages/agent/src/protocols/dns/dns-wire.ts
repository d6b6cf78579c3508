// DNS wire constants. Header and RR layout: RFC 1035 §4.1; later types from
// the IANA "Resource Record (RR) TYPEs" registry (RFC 6895 §3.1).

/** RR TYPE values, by their mnemonic. */
export const DnsType = {
  A: 1, // RFC 1035 §3.4.1
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  MX: 15,
  TXT: 16,
  AAAA: 28, // RFC 3596 §2.1
  SRV: 33, // RFC 2782
  NAPTR: 35, // RFC 3403
  OPT: 41, // RFC 6891 §6.1.1: the EDNS(0) pseudo-RR in the additional section
  DS: 43,
  RRSIG: 46,
  DNSKEY: 48,
  SVCB: 64, // RFC 9460 §14.1
  HTTPS: 65, // RFC 9460 §14.1
  AXFR: 252,
  ANY: 255,
  CAA: 257, // RFC 8659
} as const;
export type DnsType = (typeof DnsType)[keyof typeof DnsType];

/** RCODE values (RFC 1035 §4.1.1; YXDOMAIN and up: RFC 2136 §2.2). */
export const DnsRcode = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  YXDOMAIN: 6,
  YXRRSET: 7,
  NXRRSET: 8,
  NOTAUTH: 9,
  NOTZONE: 10,
} as const;

/** OPCODE values a real client sends (RFC 1035 §4.1.1; 4 NOTIFY RFC 1996, 5 UPDATE RFC 2136). */
export const DnsOpcode = { QUERY: 0, IQUERY: 1, STATUS: 2, NOTIFY: 4, UPDATE: 5 } as const;

/** Bits of the header's second 16-bit word (RFC 1035 §4.1.1, AD/CD RFC 4035 §3.2). */
export const DnsFlag = {
  QR: 0x8000, // response
  AA: 0x0400,
  TC: 0x0200, // truncated: the client retries over TCP
  RD: 0x0100,
  RA: 0x0080,
  Z: 0x0040, // must be zero
  AD: 0x0020,
  CD: 0x0010,
} as const;

export const DNS_HEADER_BYTES = 12;
/** A name is at most 255 octets on the wire, a label 63 (RFC 1035 §2.3.4). */
export const MAX_NAME_OCTETS = 255;
export const MAX_LABEL_OCTETS = 63;
/** Top two bits of a length octet: 00 label, 11 compression pointer (RFC 1035 §4.1.4). */
export const LABEL_POINTER = 0xc0;
/** A DNS message, over UDP with EDNS or over TCP, is at most 65535 bytes (RFC 1035 §4.2.2). */
export const MAX_MESSAGE_BYTES = 0xffff;

const TYPE_NAMES = new Map<number, string>(Object.entries(DnsType).map(([name, value]) => [value, name]));
const RCODE_NAMES = new Map<number, string>(Object.entries(DnsRcode).map(([name, value]) => [value, name]));

/** The mnemonic, or RFC 3597 §5's "TYPE123" for types we do not name. */
export function typeName(type: number): string {
  return TYPE_NAMES.get(type) ?? `TYPE${type}`;
}

export function rcodeName(rcode: number): string {
  return RCODE_NAMES.get(rcode) ?? `RCODE${rcode}`;
}
