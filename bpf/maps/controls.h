/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Run-time controls the agent writes while running (RuntimeControls in
 * packages/agent/src/control/): which processes and cgroups are traced, and
 * connections user space asked to stop copying. capture_config (maps/events.h)
 * says which of these filters are in force, so an idle filter costs no lookup.
 */
#ifndef PERISCOPE_MAPS_CONTROLS_H
#define PERISCOPE_MAPS_CONTROLS_H

#include "../common/socket_trace.h"
#include "events.h"

#define PERISCOPE_MAX_FILTER_ENTRIES 4096
#define PERISCOPE_MAX_DISABLED_CONNECTIONS 16384

/* tgid -> enum filter_mark bits. Written by user space only. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, PERISCOPE_MAX_FILTER_ENTRIES);
	__type(key, u32);
	__type(value, u32);
} pid_filter SEC(".maps");

/* cgroup v2 id (the cgroup directory's inode) -> enum filter_mark bits. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, PERISCOPE_MAX_FILTER_ENTRIES);
	__type(key, u64);
	__type(value, u32);
} cgroup_filter SEC(".maps");

/*
 * conn_key -> generation of a connection whose parser gave up (repeated
 * false positives): its data events carry sizes only. LRU so that entries
 * of connections whose close we never saw age out; an evicted entry only
 * means copying resumes for that connection.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, PERISCOPE_MAX_DISABLED_CONNECTIONS);
	__type(key, u64);
	__type(value, u32);
} disabled_conns SEC(".maps");

static __always_inline struct capture_config *current_capture_config(void)
{
	u32 zero = 0;

	return bpf_map_lookup_elem(&capture_config, &zero);
}

/* Whether the filters in force leave `marks` (a filter map's value, NULL when absent) out. */
static __always_inline bool filtered_by_marks(u32 flags, u32 include_flag, u32 exclude_flag, const u32 *marks)
{
	u32 m = marks ? *marks : 0;

	if ((flags & include_flag) && !(m & FILTER_MARK_INCLUDE))
		return true;
	return (flags & exclude_flag) && (m & FILTER_MARK_EXCLUDE);
}

/* True when the current process must not be traced under the pid/cgroup filters. */
static __always_inline bool current_filtered_out(u32 tgid)
{
	struct capture_config *config = current_capture_config();
	u32 flags = config ? config->filter_flags : 0;

	if (flags & (FILTER_PID_INCLUDE | FILTER_PID_EXCLUDE)) {
		if (filtered_by_marks(flags, FILTER_PID_INCLUDE, FILTER_PID_EXCLUDE,
				      bpf_map_lookup_elem(&pid_filter, &tgid)))
			return true;
	}
	if (flags & (FILTER_CGROUP_INCLUDE | FILTER_CGROUP_EXCLUDE)) {
		u64 cgroup = bpf_get_current_cgroup_id();

		if (filtered_by_marks(flags, FILTER_CGROUP_INCLUDE, FILTER_CGROUP_EXCLUDE,
				      bpf_map_lookup_elem(&cgroup_filter, &cgroup)))
			return true;
	}
	return false;
}

/* Keep this new connection? Decided once, at open; sampled-out ones are counted, not lost. */
static __always_inline bool sampled_in(void)
{
	struct capture_config *config = current_capture_config();
	u32 every = config ? config->sample_every : 0;

	return every <= 1 || bpf_get_prandom_u32() % every == 0;
}

#endif /* PERISCOPE_MAPS_CONTROLS_H */
