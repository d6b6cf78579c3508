/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * DNS recognition from a message header (RFC 1035 section 4.1.1). Over UDP a
 * datagram is one message; over TCP each message is preceded by a 2-byte
 * big-endian length (RFC 1035 section 4.2.2, RFC 7766 section 8).
 *
 *                                   1  1  1  1  1  1
 *     0  1  2  3  4  5  6  7  8  9  0  1  2  3  4  5
 *   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *   |                      ID                       |
 *   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *   |QR|   Opcode  |AA|TC|RD|RA| Z|AD|CD|   RCODE   |
 *   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *   |                    QDCOUNT                    |
 *   |                    ANCOUNT                    |
 *   |                    NSCOUNT                    |
 *   |                    ARCOUNT                    |
 *   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *   | question: QNAME (labels: length byte <= 63, then bytes; 0 ends) |
 *
 * Checked: opcode 0 (QUERY), Z = 0 (AD/CD are RFC 4035's), QDCOUNT 1..4
 * (in practice always 1, RFC 9619), a query has no answer or authority
 * records and at most a couple of additional ones (EDNS OPT, RFC 6891; a
 * TSIG), a response a sane RCODE and counts, and the first label's length
 * is a valid label length. Twelve bytes of arbitrary traffic rarely pass.
 */
#ifndef PERISCOPE_PROTOCOLS_DNS_H
#define PERISCOPE_PROTOCOLS_DNS_H

#include "wire.h"

#define PERISCOPE_DNS_HEADER_LEN 12
/* Header, a one-byte root name, QTYPE and QCLASS: the smallest question. */
#define PERISCOPE_DNS_MIN_MESSAGE (PERISCOPE_DNS_HEADER_LEN + 5)
#define PERISCOPE_DNS_MAX_QUESTIONS 4
#define PERISCOPE_DNS_MAX_QUERY_ADDITIONAL 2
/* Records in one response; 512-byte UDP answers hold a few dozen at most, TCP ones more. */
#define PERISCOPE_DNS_MAX_RECORDS 1024
/* RCODEs in the 4-bit header field go up to NOTZONE (10, RFC 2136). */
#define PERISCOPE_DNS_MAX_RCODE 10
#define PERISCOPE_DNS_MAX_LABEL 63

/* The header at msg (12 bytes) followed by at least one question's first label byte. */
static __always_inline int dns_looks_like_header(const unsigned char *msg)
{
	unsigned int flags = wire_be16(msg + 2);
	unsigned int qd = wire_be16(msg + 4);
	unsigned int an = wire_be16(msg + 6);
	unsigned int ns = wire_be16(msg + 8);
	unsigned int ar = wire_be16(msg + 10);
	int is_response = flags & 0x8000;

	if (((flags >> 11) & 0xf) != 0 || (flags & 0x0040) != 0)
		return 0;
	if (qd == 0 || qd > PERISCOPE_DNS_MAX_QUESTIONS || msg[12] > PERISCOPE_DNS_MAX_LABEL)
		return 0;
	if (!is_response)
		return an == 0 && ns == 0 && ar <= PERISCOPE_DNS_MAX_QUERY_ADDITIONAL && (flags & 0xf) == 0;
	return (flags & 0xf) <= PERISCOPE_DNS_MAX_RCODE && an <= PERISCOPE_DNS_MAX_RECORDS &&
	       ns <= PERISCOPE_DNS_MAX_RECORDS && ar <= PERISCOPE_DNS_MAX_RECORDS;
}

/* One UDP datagram: datagram_len is the whole message (the syscall's size). */
static __always_inline int dns_looks_like_datagram(const unsigned char *buf, unsigned int len,
						   unsigned int datagram_len)
{
	return len >= PERISCOPE_DNS_MIN_MESSAGE && datagram_len >= PERISCOPE_DNS_MIN_MESSAGE &&
	       dns_looks_like_header(buf);
}

/* A TCP stream: 2-byte length, then the message. */
static __always_inline int dns_looks_like_stream(const unsigned char *buf, unsigned int len)
{
	return len >= 2 + PERISCOPE_DNS_MIN_MESSAGE && wire_be16(buf) >= PERISCOPE_DNS_MIN_MESSAGE &&
	       dns_looks_like_header(buf + 2);
}

#endif /* PERISCOPE_PROTOCOLS_DNS_H */
