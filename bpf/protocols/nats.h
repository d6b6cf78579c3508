/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * NATS recognition (NATS client protocol, "INFO" and "CONNECT"). The
 * server speaks first with its INFO, a JSON object on one line; the client
 * answers with CONNECT and its own JSON options:
 *
 *   server -> client   INFO {"server_id":"...","version":"2.9.x",...}\r\n
 *   client -> server   CONNECT {"verbose":false,"pedantic":false,...}\r\n
 *
 * Operation names are case-insensitive in the protocol, but servers and
 * clients send them upper case; a single space separates the JSON.
 */
#ifndef PERISCOPE_PROTOCOLS_NATS_H
#define PERISCOPE_PROTOCOLS_NATS_H

#include "wire.h"

static __always_inline int nats_looks_like_info(const unsigned char *buf, unsigned int len)
{
	return len >= 6 && wire_prefix_is(buf, "INFO {", 6);
}

static __always_inline int nats_looks_like_connect(const unsigned char *buf, unsigned int len)
{
	return len >= 9 && wire_prefix_is(buf, "CONNECT {", 9);
}

#endif /* PERISCOPE_PROTOCOLS_NATS_H */
