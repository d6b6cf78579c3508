/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Which protocol a connection speaks, from the first bytes of one direction
 * of its stream (or its first datagram), given who opened it.
 *
 * Which side of a conversation the bytes are, request or response, follows
 * from the role and direction: a client writes requests and reads
 * responses, a server the reverse. Checks that would be weak on the other
 * side run only on theirs (a Redis "+OK" line, an HTTP/2 SETTINGS frame),
 * and with the role unknown (a socket older than the agent, seen mid-stream)
 * only checks that fit both sides run. Cheap, distinctive checks go first;
 * the loosest (Kafka's, Redis replies) last. Plain C: the user-space test
 * compiles this dispatcher too.
 */
#ifndef PERISCOPE_PROTOCOLS_INFER_H
#define PERISCOPE_PROTOCOLS_INFER_H

#include "../common/socket_trace.h"
#include "amqp.h"
#include "dns.h"
#include "http1.h"
#include "http2.h"
#include "kafka.h"
#include "mongo.h"
#include "mqtt.h"
#include "mysql.h"
#include "nats.h"
#include "postgres.h"
#include "redis.h"
#include "wire.h"

/* Bytes a client or server sends to open a conversation. */
static __always_inline u8 infer_request(const unsigned char *buf, unsigned int len)
{
	if (http1_looks_like_start(buf, len))
		return PROTOCOL_HTTP1;
	if (http2_looks_like_client_preface(buf, len))
		return PROTOCOL_HTTP2;
	if (amqp_looks_like_protocol_header(buf, len))
		return PROTOCOL_AMQP;
	if (nats_looks_like_connect(buf, len))
		return PROTOCOL_NATS;
	if (postgres_looks_like_startup(buf, len))
		return PROTOCOL_POSTGRES;
	if (mqtt_looks_like_connect(buf, len))
		return PROTOCOL_MQTT;
	if (mongo_looks_like_request(buf, len))
		return PROTOCOL_MONGO;
	if (redis_looks_like_request(buf, len))
		return PROTOCOL_REDIS;
	if (dns_looks_like_stream(buf, len))
		return PROTOCOL_DNS;
	if (kafka_looks_like_request(buf, len))
		return PROTOCOL_KAFKA;
	return PROTOCOL_UNKNOWN;
}

/* Server-first protocols' greetings; distinctive enough on either side. */
static __always_inline u8 infer_greeting(const unsigned char *buf, unsigned int len)
{
	if (mysql_looks_like_handshake(buf, len))
		return PROTOCOL_MYSQL;
	if (nats_looks_like_info(buf, len))
		return PROTOCOL_NATS;
	return PROTOCOL_UNKNOWN;
}

/* Bytes that only make sense as an answer to a request we did not recognise. */
static __always_inline u8 infer_response(const unsigned char *buf, unsigned int len, u8 role)
{
	if (http1_looks_like_start(buf, len))
		return PROTOCOL_HTTP1;
	/* A server's own preface may precede its read of the client's (RFC 9113 section 3.4). */
	if (role == ROLE_SERVER && http2_looks_like_server_preface(buf, len))
		return PROTOCOL_HTTP2;
	if (redis_looks_like_reply(buf, len))
		return PROTOCOL_REDIS;
	return PROTOCOL_UNKNOWN;
}

/*
 * buf: the first `len` bytes (len <= PERISCOPE_PEEK_BYTES, zero after) of a
 * direction's stream, or of a datagram of `syscall_len` bytes.
 */
static __always_inline u8 infer_protocol_from_peek(const unsigned char *buf, unsigned int len, unsigned int syscall_len,
						   u8 role, u8 direction, u8 transport)
{
	int is_request = (role == ROLE_CLIENT) == (direction == DIR_EGRESS);
	u8 protocol;

	/* Of the protocols the agent parses, only DNS runs over UDP. */
	if (transport == TRANSPORT_UDP)
		return dns_looks_like_datagram(buf, len, syscall_len) ? PROTOCOL_DNS : PROTOCOL_UNKNOWN;

	protocol = infer_greeting(buf, len);
	if (protocol != PROTOCOL_UNKNOWN)
		return protocol;
	if (role == ROLE_UNKNOWN || is_request)
		return infer_request(buf, len);
	return infer_response(buf, len, role);
}

#endif /* PERISCOPE_PROTOCOLS_INFER_H */
