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
	SYSCALL_SENDMMSG = 12, /* one data event per message */
	SYSCALL_RECVMMSG = 13,
	SYSCALL_SENDFILE = 14, /* sizes only: the bytes come from a file, never copied */
};

/* Entries of capture_config.capture_bytes[]: one per enum source_syscall value. */
#define PERISCOPE_SYSCALL_SLOTS 16

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
	/*
	 * enum data_flags bits; room for more (e.g. TLS plaintext from
	 * uprobes). Unknown bits are ignored by the agent.
	 */
	u32 flags;
	u8 data[];    /* captured_len bytes */
};

enum data_flags {
	/* User space disabled this connection: sizes only from now on. */
	DATA_FLAG_PAYLOAD_DISABLED = 1,
};

/* capture_config.filter_flags: which filter maps are in force. */
enum filter_flags {
	FILTER_PID_INCLUDE = 1,    /* only tgids marked FILTER_MARK_INCLUDE in pid_filter */
	FILTER_PID_EXCLUDE = 2,    /* never tgids marked FILTER_MARK_EXCLUDE */
	FILTER_CGROUP_INCLUDE = 4, /* same with cgroup v2 ids in cgroup_filter */
	FILTER_CGROUP_EXCLUDE = 8,
};

/* Values (bits) of the pid_filter and cgroup_filter hash maps. */
enum filter_mark {
	FILTER_MARK_INCLUDE = 1,
	FILTER_MARK_EXCLUDE = 2,
};

/*
 * Value of the one-entry `capture_config` array map: the run-time controls.
 * The agent rewrites it while running (RuntimeControls); each syscall reads
 * it once, so a change applies from the next syscall on.
 */
struct capture_config {
	/* Payload bytes copied per syscall, by enum source_syscall; each <= PERISCOPE_MAX_CAPTURE. */
	u32 capture_bytes[PERISCOPE_SYSCALL_SLOTS];
	/* Bit n set: protocol n (enum traffic_protocol) is off: no data events. */
	u32 disabled_protocols;
	u32 filter_flags; /* enum filter_flags */
	/* Keep 1 in sample_every new connections (0 or 1: all), decided at open. */
	u32 sample_every;
	u32 _reserved;
};

/* Indices of the per-CPU drop counter array. */
enum drop_counter {
	DROP_RINGBUF_FULL = 0,
	DROP_CONN_MAP_FULL = 1,
	DROP_READ_FAILED = 2,
	/* Not a loss: connections not kept by sampling (capture_config.sample_every). */
	DROP_SAMPLED_OUT = 3,
	/* Data events whose payload was not copied because user space disabled the connection. */
	DROP_DISABLED_PAYLOAD = 4,
	/* sendmmsg/recvmmsg messages past PERISCOPE_MAX_MMSG: not reported at all (a loss). */
	DROP_MMSG_TRUNCATED = 5,
	DROP_COUNTER_MAX = 6,
};

#endif /* PERISCOPE_SOCKET_TRACE_H */
