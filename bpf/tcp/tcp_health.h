/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Per-connection TCP health kept by tcp_health.bpf.c and read by the agent in
 * map batches each interval. Shared with user space: the addon copies values
 * out verbatim and packages/agent/src/health/layout.ts mirrors this struct
 * (checked by layout.test.ts). Fixed-width fields, no implicit padding.
 */
#ifndef PERISCOPE_TCP_HEALTH_H
#define PERISCOPE_TCP_HEALTH_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
#endif

/* Entries the loader allocates unless the agent asks for another bound. */
#define TCP_HEALTH_DEFAULT_MAX_CONNS 16384
/* Closed connections displaced by a new one on the same socket, per interval. */
#define TCP_HEALTH_MAX_CLOSED 8192

enum tcp_conn_role {
	TCP_ROLE_UNKNOWN = 0, /* adopted: the connection predates the agent */
	TCP_ROLE_CLIENT = 1, /* this host called connect() */
	TCP_ROLE_SERVER = 2, /* this host accepted it */
};

enum tcp_conn_flags {
	TCP_CONN_CONNECT_FAILED = 1 << 0, /* SYN_SENT went straight to CLOSE */
	TCP_CONN_CLOSED = 1 << 1, /* reached TCP_CLOSE; user space deletes it after reporting */
};

enum tcp_health_drop {
	TCP_DROP_STATS_MAP_FULL = 0, /* a connection could not be tracked */
	TCP_DROP_CLOSED_REPLACED = 1, /* a closed connection displaced before it was read, tcp_closed full */
	TCP_DROP_MAX = 2,
};

struct tcp_conn_stats {
	u64 sock_id; /* kernel address of the struct sock: the map key */
	u64 opened_ns; /* bpf_ktime_get_ns() when first tracked */
	u64 connect_start_ns; /* SYN sent (clients only) */
	u64 connect_ns; /* SYN_SENT -> ESTABLISHED; 0 when not seen */
	u64 bytes_acked; /* tcp_sock.bytes_acked at the last event (RFC 4898 tcpEStatsAppHCThruOctetsAcked) */
	u64 bytes_received; /* tcp_sock.bytes_received at the last event */
	u64 last_event_ns;
	u32 tgid; /* 0 when no process context was seen (adopted in softirq) */
	u32 retransmits; /* tcp:tcp_retransmit_skb, SYN retransmits included */
	u32 resets_sent;
	u32 resets_received;
	u32 state_changes;
	u32 srtt_us; /* tcp_sock.srtt_us >> 3 (the kernel keeps it scaled by 8) */
	u32 states_seen; /* bit (1 << TCP_*) per state entered */
	u16 family; /* AF_INET or AF_INET6 */
	u16 local_port;
	u16 remote_port;
	u8 state; /* current TCP_* state */
	u8 role; /* enum tcp_conn_role */
	u8 flags; /* enum tcp_conn_flags */
	u8 _pad[3];
	u8 local_addr[16]; /* IPv4 in the first 4 bytes, network order */
	u8 remote_addr[16];
	char comm[16];
};

#endif
