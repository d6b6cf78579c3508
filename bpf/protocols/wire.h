/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Byte-order readers and prefix comparison shared by the protocol checks.
 *
 * Every check looks at a fixed-size peek buffer (the stream's first
 * PERISCOPE_PEEK_BYTES bytes, zero past `len`), so callers bound their
 * offsets by `len` and the compiler turns constant offsets into plain loads
 * the verifier accepts. Plain C: the user-space tests compile it too.
 */
#ifndef PERISCOPE_PROTOCOLS_WIRE_H
#define PERISCOPE_PROTOCOLS_WIRE_H

/* Enough for the longest fixed check: the 24-byte HTTP/2 client preface. */
#define PERISCOPE_PEEK_BYTES 32

static __always_inline unsigned int wire_be16(const unsigned char *p)
{
	return ((unsigned int)p[0] << 8) | p[1];
}

static __always_inline unsigned int wire_be32(const unsigned char *p)
{
	return ((unsigned int)p[0] << 24) | ((unsigned int)p[1] << 16) | ((unsigned int)p[2] << 8) | p[3];
}

static __always_inline unsigned int wire_le16(const unsigned char *p)
{
	return ((unsigned int)p[1] << 8) | p[0];
}

static __always_inline unsigned int wire_le24(const unsigned char *p)
{
	return ((unsigned int)p[2] << 16) | ((unsigned int)p[1] << 8) | p[0];
}

static __always_inline unsigned int wire_le32(const unsigned char *p)
{
	return ((unsigned int)p[3] << 24) | ((unsigned int)p[2] << 16) | ((unsigned int)p[1] << 8) | p[0];
}

static __always_inline int wire_prefix_is(const unsigned char *buf, const char *prefix, int n)
{
	for (int i = 0; i < n; i++)
		if (buf[i] != (unsigned char)prefix[i])
			return 0;
	return 1;
}

static __always_inline int wire_is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* Visible ASCII (no controls, no space): identifiers such as Kafka client ids. */
static __always_inline int wire_is_graphic(unsigned char c)
{
	return c > ' ' && c < 0x7f;
}

#endif /* PERISCOPE_PROTOCOLS_WIRE_H */
