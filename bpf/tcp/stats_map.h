/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The bounded per-socket stats map and its drop counter. A plain HASH, not an
 * LRU: an LRU would silently evict a live connection's counters; here a full
 * map refuses the new connection and counts it, and user space frees entries
 * of closed connections once it has reported them.
 */
#ifndef PERISCOPE_TCP_STATS_MAP_H
#define PERISCOPE_TCP_STATS_MAP_H

#include "tcp_health.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TCP_HEALTH_DEFAULT_MAX_CONNS); /* the loader may change it */
	__type(key, u64);
	__type(value, struct tcp_conn_stats);
} tcp_stats SEC(".maps");

/*
 * Closed connections whose socket was freed and reused for a new connection
 * before the agent read them (sequential short connections reuse the same
 * slab slot at once). Keyed by sock_id ^ opened_ns; the agent reads and
 * deletes them in one BPF_MAP_LOOKUP_AND_DELETE_BATCH per interval.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TCP_HEALTH_MAX_CLOSED);
	__type(key, u64);
	__type(value, struct tcp_conn_stats);
} tcp_closed SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, TCP_DROP_MAX);
	__type(key, u32);
	__type(value, u64);
} tcp_health_drops SEC(".maps");

static __always_inline void count_tcp_drop(u32 which)
{
	u64 *counter = bpf_map_lookup_elem(&tcp_health_drops, &which);

	if (counter)
		*counter += 1;
}

#endif
