/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * HTTP/2 recognition (RFC 9113).
 *
 * A client opens every HTTP/2-over-TCP connection with a fixed preface
 * (section 3.4), so the client's first bytes are unambiguous:
 *
 *   "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"   (24 octets), then a SETTINGS frame
 *
 * The server's preface is a SETTINGS frame (section 3.4), which it may send
 * before it reads the client's; a frame header is (section 4.1):
 *
 *   +-----------------------------------------------+
 *   |                 Length (24)                   |
 *   +---------------+---------------+---------------+
 *   |   Type (8)    |   Flags (8)   |
 *   +-+-------------+---------------+-------------------------------+
 *   |R|                 Stream Identifier (31)                      |
 *   +=+=============================================================+
 *
 * SETTINGS is type 0x4 on stream 0, its length a multiple of 6 (section
 * 6.5); the server's first one carries no ACK flag. Nine such bytes alone
 * are weak evidence, so callers accept them only on a server's egress.
 */
#ifndef PERISCOPE_PROTOCOLS_HTTP2_H
#define PERISCOPE_PROTOCOLS_HTTP2_H

#include "wire.h"

#define PERISCOPE_HTTP2_PREFACE "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
#define PERISCOPE_HTTP2_PREFACE_LEN 24
#define PERISCOPE_HTTP2_FRAME_SETTINGS 0x4
/* SETTINGS defined by RFC 9113 section 6.5.2 plus RFC 8441/9218 ones: a first frame lists a few. */
#define PERISCOPE_HTTP2_MAX_FIRST_SETTINGS_LEN (6 * 16)

/* The client's connection preface (all 24 octets must be there). */
static __always_inline int http2_looks_like_client_preface(const unsigned char *buf, unsigned int len)
{
	return len >= PERISCOPE_HTTP2_PREFACE_LEN &&
	       wire_prefix_is(buf, PERISCOPE_HTTP2_PREFACE, PERISCOPE_HTTP2_PREFACE_LEN);
}

/* The server's preface: a non-ACK SETTINGS frame on stream 0. */
static __always_inline int http2_looks_like_server_preface(const unsigned char *buf, unsigned int len)
{
	if (len < 9)
		return 0;
	unsigned int length = ((unsigned int)buf[0] << 16) | wire_be16(buf + 1);

	return buf[3] == PERISCOPE_HTTP2_FRAME_SETTINGS && buf[4] == 0 && wire_be32(buf + 5) == 0 &&
	       length % 6 == 0 && length <= PERISCOPE_HTTP2_MAX_FIRST_SETTINGS_LEN;
}

#endif /* PERISCOPE_PROTOCOLS_HTTP2_H */
