/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Kafka recognition from a client's request (Kafka protocol guide, "Common
 * Request and Response Structure"; request header v1/v2). All integers are
 * big-endian:
 *
 *   +-------------+-------------+-------------+----------------+------------------+-----
 *   | int32 size  | int16       | int16       | int32          | int16 client_id  | client_id
 *   | (rest of    | api_key     | api_version | correlation_id | length (-1: null)| bytes
 *   |  message)   |             |             |                |                  |
 *   +-------------+-------------+-------------+----------------+------------------+-----
 *
 * Header v2 (flexible versions) keeps client_id as a classic int16 string, so
 * the layout above holds for every request. A first request is usually
 * ApiVersions (key 18). Checked: a size large enough for the header and below
 * the broker's default socket.request.max.bytes (100 MiB), a known api_key,
 * a plausible version, a non-negative correlation id, and a client id of
 * visible ASCII (as far as the peek reaches).
 */
#ifndef PERISCOPE_PROTOCOLS_KAFKA_H
#define PERISCOPE_PROTOCOLS_KAFKA_H

#include "wire.h"

/* Keys 0..92 are assigned as of Kafka 4.x; a little headroom for newer brokers. */
#define PERISCOPE_KAFKA_MAX_API_KEY 100
/* The highest request version of any API is below 20 (Fetch, Produce...). */
#define PERISCOPE_KAFKA_MAX_API_VERSION 24
#define PERISCOPE_KAFKA_MAX_SIZE (100 * 1024 * 1024)
#define PERISCOPE_KAFKA_HEADER_LEN 14 /* size + key + version + correlation id + client id length */

static __always_inline int kafka_looks_like_request(const unsigned char *buf, unsigned int len)
{
	if (len < PERISCOPE_KAFKA_HEADER_LEN)
		return 0;
	unsigned int size = wire_be32(buf);
	unsigned int api_key = wire_be16(buf + 4);
	unsigned int api_version = wire_be16(buf + 6);
	unsigned int correlation_id = wire_be32(buf + 8);
	unsigned int client_id_len = wire_be16(buf + 12);

	if (size < PERISCOPE_KAFKA_HEADER_LEN - 4 || size > PERISCOPE_KAFKA_MAX_SIZE)
		return 0;
	if (api_key > PERISCOPE_KAFKA_MAX_API_KEY || api_version > PERISCOPE_KAFKA_MAX_API_VERSION ||
	    (correlation_id & 0x80000000u))
		return 0;
	if (client_id_len == 0xffff || client_id_len == 0)
		return 1;
	if (client_id_len > size - (PERISCOPE_KAFKA_HEADER_LEN - 4))
		return 0;
	for (unsigned int i = 0; i < PERISCOPE_PEEK_BYTES - PERISCOPE_KAFKA_HEADER_LEN; i++) {
		if (i >= client_id_len || PERISCOPE_KAFKA_HEADER_LEN + i >= len)
			break;
		if (!wire_is_graphic(buf[PERISCOPE_KAFKA_HEADER_LEN + i]))
			return 0;
	}
	return 1;
}

#endif /* PERISCOPE_PROTOCOLS_KAFKA_H */
