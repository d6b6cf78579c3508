/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The path from the kernel to user space: the ring buffer, the per-CPU
 * scratch record that variable-length data events are built in, drop
 * counters, and the capture configuration the agent changes at run time.
 */
#ifndef PERISCOPE_MAPS_EVENTS_H
#define PERISCOPE_MAPS_EVENTS_H

#include "../common/socket_trace.h"

#define PERISCOPE_RINGBUF_BYTES (8 * 1024 * 1024)

/*
 * Above this much unread data, wake the consumer now; below it, let the
 * agent's timed drain pick records up. Per-event wakeups more than doubled a
 * traced server's CPU per request in a prototype (DESIGN.md, data path rules).
 */
#define PERISCOPE_WAKEUP_THRESHOLD (PERISCOPE_RINGBUF_BYTES / 8)

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, PERISCOPE_RINGBUF_BYTES);
} events SEC(".maps");

/*
 * bpf_ringbuf_reserve() only takes a constant size, so a data event is built
 * here and copied out with bpf_ringbuf_output(header + captured bytes).
 * Twice the capture size: gathering iovecs writes at (offset < MAX) a chunk
 * of (length <= MAX), and the verifier checks each bound on its own.
 */
struct data_event_scratch {
	u8 bytes[sizeof(struct data_event) + 2 * PERISCOPE_MAX_CAPTURE];
};

/*
 * One slot per CPU, indexed by bpf_get_smp_processor_id(). Not a PERCPU_ARRAY:
 * per-CPU values are limited to 32 KiB (PCPU_MIN_UNIT_SIZE), one byte short.
 * The loader sets max_entries to the number of possible CPUs before load.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct data_event_scratch);
} data_scratch SEC(".maps");

static __always_inline struct data_event_scratch *this_cpu_scratch(void)
{
	u32 cpu = bpf_get_smp_processor_id();

	return bpf_map_lookup_elem(&data_scratch, &cpu);
}

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, DROP_COUNTER_MAX);
	__type(key, u32);
	__type(value, u64);
} drop_counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct capture_config);
} capture_config SEC(".maps");

static __always_inline void count_drops(u32 counter, u64 n)
{
	u64 *value = bpf_map_lookup_elem(&drop_counters, &counter);

	if (value)
		*value += n; /* per-CPU slot: no atomics needed */
}

static __always_inline void count_drop(u32 counter)
{
	count_drops(counter, 1);
}

static __always_inline u64 ringbuf_wakeup_flags(void)
{
	return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > PERISCOPE_WAKEUP_THRESHOLD
		       ? BPF_RB_FORCE_WAKEUP
		       : BPF_RB_NO_WAKEUP;
}

static __always_inline void emit(void *record, u64 size)
{
	if (bpf_ringbuf_output(&events, record, size, ringbuf_wakeup_flags()) != 0)
		count_drop(DROP_RINGBUF_FULL);
}

#endif /* PERISCOPE_MAPS_EVENTS_H */
