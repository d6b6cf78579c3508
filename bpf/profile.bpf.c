// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * CPU profiler: one perf_event program, attached by the agent to a
 * software CPU-clock event on every online CPU (97 Hz by default). Each
 * sample takes the user and kernel stacks into a stack-trace map and adds one
 * to its (thread, process, user stack, kernel stack) cell; nothing is sent
 * per sample. The agent drains every interval.
 *
 * Two generations of maps (counts_0/stacks_0 and counts_1/stacks_1): the
 * agent flips profile_active, then reads and clears the generation the
 * program no longer writes. Without the swap a stack id could be deleted
 * while a cell written after the read still pointed at it.
 *
 * Idle (pid 0) and kernel threads are kept and flagged, not dropped: a CPU
 * busy in the kernel or idle is part of the fleet's profile.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "common/profile.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define PF_KTHREAD 0x00200000 /* include/linux/sched.h; stable since 2.6 */
#define EFAULT 14
#define EEXIST 17

typedef u64 stack_trace_t[PROFILE_MAX_DEPTH];

#define STACK_MAP(name)                                                                                                \
	struct {                                                                                                       \
		__uint(type, BPF_MAP_TYPE_STACK_TRACE);                                                                \
		__uint(max_entries, PROFILE_STACKS_MAX);                                                               \
		__type(key, u32);                                                                                      \
		__type(value, stack_trace_t);                                                                          \
	} name SEC(".maps")

#define COUNT_MAP(name)                                                                                                \
	struct {                                                                                                       \
		__uint(type, BPF_MAP_TYPE_HASH);                                                                       \
		__uint(max_entries, PROFILE_COUNTS_MAX);                                                               \
		__type(key, struct profile_key);                                                                       \
		__type(value, struct profile_value);                                                                   \
	} name SEC(".maps")

STACK_MAP(stacks_0);
STACK_MAP(stacks_1);
COUNT_MAP(counts_0);
COUNT_MAP(counts_1);

/* Which generation the program writes: 0 or 1 (key 0). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u32);
} profile_active SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PROFILE_DROP_MAX);
	__type(key, u32);
	__type(value, u64);
} profile_drops SEC(".maps");

static __always_inline void count_drop(u32 reason)
{
	u64 *value = bpf_map_lookup_elem(&profile_drops, &reason);

	if (value)
		*value += 1; /* per-CPU slot; perf_event programs do not nest on a CPU */
}

/* A stack id, or PROFILE_NO_STACK with the reason counted. */
static __always_inline int take_stack(struct bpf_perf_event_data *ctx, void *stacks, u64 flags, bool expect_user)
{
	long id = bpf_get_stackid(ctx, stacks, flags);

	if (id >= 0)
		return (int)id;
	if (id == -EEXIST)
		count_drop((flags & BPF_F_USER_STACK) ? PROFILE_DROP_USER_COLLISION : PROFILE_DROP_KERNEL_COLLISION);
	else if ((flags & BPF_F_USER_STACK) && expect_user)
		count_drop(PROFILE_DROP_USER_FAULT);
	return PROFILE_NO_STACK;
}

static __always_inline int record(struct bpf_perf_event_data *ctx, void *stacks, void *counts)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	u64 pid_tgid = bpf_get_current_pid_tgid();
	struct profile_key key = {};
	struct profile_value fresh = {};
	struct profile_value *cell;
	u32 task_flags = BPF_CORE_READ(task, flags);

	key.pid = (u32)pid_tgid;
	key.tgid = pid_tgid >> 32;
	if (key.pid == 0)
		fresh.flags |= PROFILE_FLAG_IDLE;
	if (task_flags & PF_KTHREAD)
		fresh.flags |= PROFILE_FLAG_KTHREAD;
	key.user_stack_id = fresh.flags ? PROFILE_NO_STACK : take_stack(ctx, stacks, BPF_F_USER_STACK, true);
	key.kernel_stack_id = take_stack(ctx, stacks, 0, false);

	cell = bpf_map_lookup_elem(counts, &key);
	if (cell) {
		__sync_fetch_and_add(&cell->count, 1); /* result unused: plain BPF_XADD, no 5.12 fetch */
		return 0;
	}
	fresh.count = 1;
	bpf_get_current_comm(fresh.comm, sizeof(fresh.comm));
	if (bpf_map_update_elem(counts, &key, &fresh, BPF_NOEXIST) == 0)
		return 0;
	/* Another CPU created the cell between the lookup and the insert. */
	cell = bpf_map_lookup_elem(counts, &key);
	if (cell)
		__sync_fetch_and_add(&cell->count, 1);
	else
		count_drop(PROFILE_DROP_COUNTS_FULL);
	return 0;
}

SEC("perf_event")
int profile_sample(struct bpf_perf_event_data *ctx)
{
	u32 zero = 0;
	u32 *active = bpf_map_lookup_elem(&profile_active, &zero);

	if (active && *active == 1)
		return record(ctx, &stacks_1, &counts_1);
	return record(ctx, &stacks_0, &counts_0);
}
