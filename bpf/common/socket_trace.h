/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Records the socket tracer sends to user space through its ring buffer.
 *
 * Defined once here; packages/agent/src/capture/layout.ts mirrors every offset
 * and a test compiles this header and compares (layout.test.ts). Fields are
 * ordered widest first so no struct has implicit padding (-Wpadded clean).
 */
#ifndef PERISCOPE_SOCKET_TRACE_H
#define PERISCOPE_SOCKET_TRACE_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s32 s32;
#endif

/* Largest payload copied per syscall; the run-time cap is at most this. */
#define PERISCOPE_MAX_CAPTURE 16384
#define PERISCOPE_DEFAULT_CAPTURE 4096

enum event_type {
	EVENT_CONN_OPEN = 1,
	EVENT_CONN_CLOSE = 2,
	EVENT_DATA = 3,
};

enum conn_role {
	ROLE_UNKNOWN = 0,
	ROLE_CLIENT = 1, /* this process connect()ed */
	ROLE_SERVER = 2, /* this process accept()ed */
};

enum traffic_direction {
	DIR_EGRESS = 1,  /* bytes this process wrote */
	DIR_INGRESS = 2, /* bytes this process read */
};

/* Which syscall produced a data event (the agent reports it, tests assert it). */
enum source_syscall {
	SYSCALL_UNKNOWN = 0,
	SYSCALL_READ = 1,
	SYSCALL_WRITE = 2,
	SYSCALL_SENDTO = 3,
	SYSCALL_RECVFROM = 4,
	SYSCALL_CONNECT = 5,
	SYSCALL_ACCEPT = 6,
	SYSCALL_CLOSE = 7,
	SYSCALL_READV = 8,
	SYSCALL_WRITEV = 9,
	SYSCALL_SENDMSG = 10,
	SYSCALL_RECVMSG = 11,
};

/* Protocol guessed in the kernel from a connection's first bytes. */
enum traffic_protocol {
	PROTOCOL_UNKNOWN = 0,
	PROTOCOL_HTTP1 = 1,
	PROTOCOL_HTTP2 = 2,
	PROTOCOL_POSTGRES = 3,
	PROTOCOL_MYSQL = 4,
	PROTOCOL_REDIS = 5,
	PROTOCOL_DNS = 6,
	PROTOCOL_KAFKA = 7,
	PROTOCOL_AMQP = 8,
	PROTOCOL_NATS = 9,
	PROTOCOL_MONGO = 10,
	PROTOCOL_MQTT = 11,
};

/* Transport of a traced socket (IPPROTO_TCP stream or IPPROTO_UDP datagram socket). */
enum transport {
	TRANSPORT_TCP = 1,
	TRANSPORT_UDP = 2,
};

/*
 * Identity of one connection: a reused fd gets a new generation, so the agent
 * never splices two connections' streams together.
 */
struct conn_id {
	u32 tgid;
	s32 fd;
	u32 generation;
	u32 _reserved;
};

/* Common prefix of every ring-buffer record. */
struct event_header {
	u64 timestamp_ns; /* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
	struct conn_id conn;
	u32 pid;  /* thread id that made the syscall */
	u16 type; /* enum event_type */
	u16 size; /* whole record, header and payload, in bytes */
};

struct conn_open_event {
	struct event_header hdr;
	u8 local_addr[16];  /* IPv4 in the first 4 bytes, network order */
	u8 remote_addr[16];
	u16 family; /* AF_INET or AF_INET6 */
	u16 local_port;  /* host order */
	u16 remote_port; /* host order */
	u8 role;    /* enum conn_role */
	u8 source;  /* enum source_syscall */
	char comm[16];
	/*
	 * enum transport. For UDP, remote_* is the connected peer or, on an
	 * unconnected socket, the first datagram's destination or source.
	 */
	u8 transport;
	u8 _pad[7];
};

struct conn_close_event {
	struct event_header hdr;
	u64 bytes_sent;
	u64 bytes_received;
};

struct data_event {
	struct event_header hdr;
	/* Offset of data[0] in this direction's byte stream. */
	u64 stream_offset;
	/* Bytes the syscall moved; captured_len <= this (capture cap). */
	u32 syscall_len;
	u32 captured_len;
	u8 direction; /* enum traffic_direction */
	u8 source;    /* enum source_syscall */
	u8 protocol;  /* enum traffic_protocol */
	u8 role;      /* enum conn_role, as known when the bytes moved */
	u32 _pad;
	u8 data[];    /* captured_len bytes */
};

/*
 * Value of the one-entry `capture_config` array map; the agent rewrites it
 * while running to change how much payload each syscall copies.
 */
struct capture_config {
	u32 capture_bytes; /* <= PERISCOPE_MAX_CAPTURE */
	u32 _reserved;
};

/* Indices of the per-CPU drop counter array. */
enum drop_counter {
	DROP_RINGBUF_FULL = 0,
	DROP_CONN_MAP_FULL = 1,
	DROP_READ_FAILED = 2,
	DROP_COUNTER_MAX = 3,
};

#endif /* PERISCOPE_SOCKET_TRACE_H */
