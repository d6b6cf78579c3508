/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Per-connection state, keyed by (tgid << 32 | fd).
 *
 * LRU so that connections whose close() we never saw (process killed, fd
 * closed by dup2/exec) age out instead of filling the map for good.
 */
#ifndef PERISCOPE_MAPS_CONN_MAP_H
#define PERISCOPE_MAPS_CONN_MAP_H

#include "../common/socket_trace.h"

#define PERISCOPE_MAX_CONNECTIONS 65536

struct conn_state {
	u64 bytes_sent;     /* also the egress stream offset of the next byte */
	u64 bytes_received; /* also the ingress stream offset of the next byte */
	u32 generation;
	u8 role;     /* enum conn_role */
	u8 protocol; /* enum traffic_protocol */
	u8 transport; /* enum transport */
	u8 flags;     /* enum conn_flags */
};

enum conn_flags {
	/*
	 * Not kept by connection sampling: tracked only so that its syscalls
	 * are recognised and skipped; no event is ever sent for it.
	 */
	CONN_SAMPLED_OUT = 1,
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, PERISCOPE_MAX_CONNECTIONS);
	__type(key, u64);
	__type(value, struct conn_state);
} conn_map SEC(".maps");

/*
 * Processes that have (or had) a traced connection, so that a process exit
 * only scans conn_map when it can find something there. Never decremented:
 * a stale entry costs one useless scan at that process's exit.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, PERISCOPE_MAX_CONNECTIONS / 4);
	__type(key, u32);
	__type(value, u8);
} traced_tgids SEC(".maps");

static __always_inline void mark_tgid_traced(u32 tgid)
{
	u8 present = 1;

	if (!bpf_map_lookup_elem(&traced_tgids, &tgid))
		bpf_map_update_elem(&traced_tgids, &tgid, &present, BPF_ANY);
}

static __always_inline u64 conn_key(u32 tgid, s32 fd)
{
	return ((u64)tgid << 32) | (u32)fd;
}

#endif /* PERISCOPE_MAPS_CONN_MAP_H */
