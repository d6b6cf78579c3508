/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * PostgreSQL recognition from the client's first message (PostgreSQL
 * documentation, "Frontend/Backend Protocol", sections 55.2.1 and 55.7).
 * The first message is the only one without a type byte:
 *
 *   +----------------+----------------------------+----------------------+
 *   | Int32 length   | Int32 code                 | rest                 |
 *   | (incl. itself) |                            |                      |
 *   +----------------+----------------------------+----------------------+
 *   StartupMessage   196608 = protocol 3.0 (3 << 16 | minor)   name\0value\0..\0
 *   SSLRequest       length 8, code 80877103 (1234 << 16 | 5679)
 *   GSSENCRequest    length 8, code 80877104 (1234 << 16 | 5680)
 *   CancelRequest    length 16, code 80877102 (1234 << 16 | 5678)
 *
 * Both integers are big-endian. The server never speaks first.
 */
#ifndef PERISCOPE_PROTOCOLS_POSTGRES_H
#define PERISCOPE_PROTOCOLS_POSTGRES_H

#include "wire.h"

#define PERISCOPE_PG_PROTOCOL_MAJOR 3
/* 3.0 to 3.2 (3.2 is PostgreSQL 18's); a later minor would still be 3.x. */
#define PERISCOPE_PG_MAX_MINOR 16
#define PERISCOPE_PG_SSL_REQUEST 80877103u
#define PERISCOPE_PG_GSSENC_REQUEST 80877104u
#define PERISCOPE_PG_CANCEL_REQUEST 80877102u
/* Startup parameters are a handful of short name/value pairs (user, database, options...). */
#define PERISCOPE_PG_MAX_STARTUP_LEN 10000

static __always_inline int postgres_looks_like_startup(const unsigned char *buf, unsigned int len)
{
	if (len < 8)
		return 0;
	unsigned int length = wire_be32(buf);
	unsigned int code = wire_be32(buf + 4);

	if (length == 8)
		return code == PERISCOPE_PG_SSL_REQUEST || code == PERISCOPE_PG_GSSENC_REQUEST;
	if (length == 16 && code == PERISCOPE_PG_CANCEL_REQUEST)
		return 1;
	/* A StartupMessage has at least "user\0<name>\0" and the final \0 after its 8-byte head. */
	return length > 8 + 6 && length <= PERISCOPE_PG_MAX_STARTUP_LEN &&
	       (code >> 16) == PERISCOPE_PG_PROTOCOL_MAJOR && (code & 0xffff) <= PERISCOPE_PG_MAX_MINOR;
}

#endif /* PERISCOPE_PROTOCOLS_POSTGRES_H */
