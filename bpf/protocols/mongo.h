/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * MongoDB recognition from a client's first message (MongoDB Wire Protocol,
 * "Standard Message Header" and "OP_MSG"). Little-endian throughout:
 *
 *   +----------------+-------------+--------------+-------------+
 *   | int32 message  | int32       | int32        | int32       |   MsgHeader
 *   | Length (incl.) | requestID   | responseTo   | opCode      |
 *   +----------------+-------------+--------------+-------------+
 *   OP_MSG (2013):   | uint32 flagBits | section kind (0 body, 1 sequence) | BSON ...
 *   OP_QUERY (2004): | int32 flags     | cstring fullCollectionName        | ...
 *
 * Drivers open with a "hello" / legacy "isMaster" handshake, as OP_MSG or
 * (older drivers, and newer ones before they know the server) OP_QUERY.
 * A request answers nothing, so responseTo is 0. OP_MSG defines flag bits
 * 0 (checksumPresent), 1 (moreToCome) and 16 (exhaustAllowed); the others
 * must be zero.
 */
#ifndef PERISCOPE_PROTOCOLS_MONGO_H
#define PERISCOPE_PROTOCOLS_MONGO_H

#include "wire.h"

#define PERISCOPE_MONGO_OP_QUERY 2004
#define PERISCOPE_MONGO_OP_MSG 2013
#define PERISCOPE_MONGO_OP_MSG_FLAGS 0x00010003u
/* The server's default maxMessageSizeBytes. */
#define PERISCOPE_MONGO_MAX_MESSAGE 48000000
/* Header, flags, kind byte and the smallest BSON document (5 bytes). */
#define PERISCOPE_MONGO_MIN_OP_MSG (16 + 4 + 1 + 5)

static __always_inline int mongo_looks_like_request(const unsigned char *buf, unsigned int len)
{
	if (len < 21)
		return 0;
	unsigned int length = wire_le32(buf);
	unsigned int response_to = wire_le32(buf + 8);
	unsigned int op_code = wire_le32(buf + 12);

	if (length > PERISCOPE_MONGO_MAX_MESSAGE || response_to != 0)
		return 0;
	if (op_code == PERISCOPE_MONGO_OP_MSG)
		return length >= PERISCOPE_MONGO_MIN_OP_MSG && (wire_le32(buf + 16) & ~PERISCOPE_MONGO_OP_MSG_FLAGS) == 0 &&
		       buf[20] <= 1;
	/* OP_QUERY: flags use bits 1..7 only; a collection name like "admin.$cmd" follows. */
	return op_code == PERISCOPE_MONGO_OP_QUERY && length >= 16 + 4 + 2 && (wire_le32(buf + 16) & ~0xfeu) == 0 &&
	       wire_is_graphic(buf[20]);
}

#endif /* PERISCOPE_PROTOCOLS_MONGO_H */
