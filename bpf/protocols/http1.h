/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * HTTP/1.x recognition from the first bytes of a connection's stream.
 *
 * Request line (RFC 9112 section 3) and status line (section 4):
 *
 *   +--------+---+----------------+---+----------+------+
 *   | method | SP| request-target | SP| HTTP/1.1 | CRLF |   request
 *   +--------+---+----------------+---+----------+------+
 *   +----------+---+-----+---+--------+------+
 *   | HTTP/1.1 | SP| 200 | SP| reason | CRLF |              response
 *   +----------+---+-----+---+--------+------+
 *
 * Only the first PERISCOPE_HTTP1_PEEK bytes are looked at: a method with its
 * trailing space, or "HTTP/1." — cheap enough to run on every new stream,
 * and wrong guesses cost only a copy that user space then rejects.
 *
 * Plain C with no BPF dependency so a user-space test can compile it too.
 */
#ifndef PERISCOPE_PROTOCOLS_HTTP1_H
#define PERISCOPE_PROTOCOLS_HTTP1_H

#define PERISCOPE_HTTP1_PEEK 8

static __always_inline int http1_prefix_is(const unsigned char *buf, const char *prefix, int n)
{
	for (int i = 0; i < n; i++)
		if (buf[i] != (unsigned char)prefix[i])
			return 0;
	return 1;
}

/*
 * buf holds the stream's first `len` bytes (len <= PERISCOPE_HTTP1_PEEK,
 * the rest zeroed). Returns 1 for an HTTP/1 request or response start.
 */
static __always_inline int http1_looks_like_start(const unsigned char *buf, unsigned int len)
{
	if (len < 4)
		return 0;
	if (http1_prefix_is(buf, "GET ", 4) || http1_prefix_is(buf, "PUT ", 4))
		return 1;
	if (http1_prefix_is(buf, "POST", 4) || http1_prefix_is(buf, "HEAD", 4))
		return 1;
	if (len >= 6 && http1_prefix_is(buf, "PATCH ", 6))
		return 1;
	if (len >= 7 && (http1_prefix_is(buf, "DELETE ", 7) || http1_prefix_is(buf, "HTTP/1.", 7)))
		return 1;
	if (len >= 8 && http1_prefix_is(buf, "OPTIONS ", 8))
		return 1;
	return 0;
}

#endif /* PERISCOPE_PROTOCOLS_HTTP1_H */
