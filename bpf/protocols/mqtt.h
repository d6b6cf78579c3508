/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * MQTT recognition from the client's CONNECT packet (MQTT 3.1.1 section
 * 3.1; MQTT 5.0 section 3.1; MQTT 3.1 used "MQIsdp"):
 *
 *   +------------+-------------------+--------+-----------+-------+-------+----
 *   | 0x10       | remaining length  | 0x00   | "MQTT"    | level | flags | keep
 *   | (type 1,   | (varint, 1 to 4   | 0x04   | or 0x00   | 4: 3.1.1      | alive
 *   |  flags 0)  |  bytes, 7 bits    |        | 0x06      | 5: 5.0        | ...
 *   |            |  each, MSB = more)|        | "MQIsdp"  | 3: 3.1        |
 *   +------------+-------------------+--------+-----------+-------+-------+----
 *
 * The connect flags' bit 0 is reserved and must be 0 (3.1.1 section 3.1.2.3).
 */
#ifndef PERISCOPE_PROTOCOLS_MQTT_H
#define PERISCOPE_PROTOCOLS_MQTT_H

#include "wire.h"

#define PERISCOPE_MQTT_CONNECT 0x10
#define PERISCOPE_MQTT_MAX_VARINT 4

/* The variable header at p (len bytes available): protocol name, level, flags. */
static __always_inline int mqtt_connect_variable_header(const unsigned char *p, unsigned int len)
{
	if (len >= 8 && wire_prefix_is(p, "\x00\x04MQTT", 6))
		return (p[6] == 4 || p[6] == 5) && (p[7] & 1) == 0;
	if (len >= 10 && wire_prefix_is(p, "\x00\x06MQIsdp", 8))
		return p[8] == 3 && (p[9] & 1) == 0;
	return 0;
}

static __always_inline int mqtt_looks_like_connect(const unsigned char *buf, unsigned int len)
{
	if (len < 2 || buf[0] != PERISCOPE_MQTT_CONNECT)
		return 0;
	/* The remaining length's last byte has its top bit clear; the protocol name follows it. */
	for (unsigned int n = 1; n <= PERISCOPE_MQTT_MAX_VARINT; n++) {
		if (n + 1 > len)
			return 0;
		if ((buf[n] & 0x80) == 0) {
			if (n == 1 && buf[1] < 10)
				return 0; /* too short for name, level, flags and keep-alive */
			return mqtt_connect_variable_header(buf + n + 1, len - n - 1);
		}
	}
	return 0;
}

#endif /* PERISCOPE_PROTOCOLS_MQTT_H */
