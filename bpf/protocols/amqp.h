/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * AMQP 0-9-1 recognition from the client's protocol header (AMQP 0-9-1
 * specification, section 4.2.2 "Protocol Header"):
 *
 *   +---+---+---+---+---+---+---+---+
 *   |'A'|'M'|'Q'|'P'| 0 | 0 | 9 | 1 |
 *   +---+---+---+---+---+---+---+---+
 *
 * The server answers with Connection.Start, or with its own header when it
 * refuses the version; either way the client's eight bytes come first.
 */
#ifndef PERISCOPE_PROTOCOLS_AMQP_H
#define PERISCOPE_PROTOCOLS_AMQP_H

#include "wire.h"

#define PERISCOPE_AMQP_HEADER_LEN 8

static __always_inline int amqp_looks_like_protocol_header(const unsigned char *buf, unsigned int len)
{
	return len >= PERISCOPE_AMQP_HEADER_LEN && wire_prefix_is(buf, "AMQP\x00\x00\x09\x01", PERISCOPE_AMQP_HEADER_LEN);
}

#endif /* PERISCOPE_PROTOCOLS_AMQP_H */
