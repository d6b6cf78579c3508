/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * MySQL / MariaDB recognition from the server's greeting: the server speaks
 * first, with a Protocol::HandshakeV10 packet (MySQL client/server protocol,
 * "Connection Phase Packets"; MariaDB "Server Greeting" / "Initial Handshake
 * Packet"). Every packet starts with a 4-byte header:
 *
 *   +-------------------------+---------+---------+--------------------+----
 *   | payload length (int<3>, | seq id  | 0x0a    | server version     | ...
 *   | little-endian)          | = 0     | (v10)   | string<NUL>, e.g.  |
 *   |                         |         |         | "8.0.36" or        |
 *   |                         |         |         | "5.5.5-10.11.6-MariaDB"
 *   +-------------------------+---------+---------+--------------------+----
 *
 * After the version come a 4-byte thread id, 8 bytes of auth data, a filler
 * and capability flags: the payload is never shorter than ~45 bytes.
 */
#ifndef PERISCOPE_PROTOCOLS_MYSQL_H
#define PERISCOPE_PROTOCOLS_MYSQL_H

#include "wire.h"

#define PERISCOPE_MYSQL_PROTOCOL_V10 0x0a
#define PERISCOPE_MYSQL_MIN_HANDSHAKE 32
#define PERISCOPE_MYSQL_MAX_HANDSHAKE 1024

static __always_inline int mysql_looks_like_handshake(const unsigned char *buf, unsigned int len)
{
	if (len < 8)
		return 0;
	unsigned int length = wire_le24(buf);

	/* The version string begins with its major version number: "5.", "8.", "10.", "11."... */
	return buf[3] == 0 && buf[4] == PERISCOPE_MYSQL_PROTOCOL_V10 && length >= PERISCOPE_MYSQL_MIN_HANDSHAKE &&
	       length <= PERISCOPE_MYSQL_MAX_HANDSHAKE && wire_is_digit(buf[5]) &&
	       (buf[6] == '.' || (wire_is_digit(buf[6]) && buf[7] == '.'));
}

#endif /* PERISCOPE_PROTOCOLS_MYSQL_H */
