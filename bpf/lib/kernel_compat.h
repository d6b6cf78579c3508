/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Where the programs differ from what the newest kernels would allow, so that
 * they load down to the floor: BPF ring buffers, Linux 5.8 (commit 457f44363a88
 * "bpf: Implement BPF ring buffer and verifier support for it").
 *
 * Global functions (verified once, not per call site: lib/data_emit.h,
 * lib/protocol_peek.h) take scalars only: pointer arguments arrived in 5.12
 * (commit e5069b9c23b3 "bpf: Support pointers in global func args"), so
 * their structs travel in per-CPU slots (data_request_slot, peek_slot).
 *
 * Above the floor, and switched off by the agent when missing (the native
 * addon's feature probes, packages/agent/src/native/kernel_features.cc):
 *   - bpf_for_each_map_elem, 5.13 (commit 69c087ba6225): sched_process_exit's
 *     close of an exiting process's connections; without it they close when
 *     user space finds them idle.
 *   - each tcp:* / sock:* tracepoint tcp_health.bpf.o attaches to is checked
 *     in tracefs; a missing one turns off that program only.
 */
#ifndef PERISCOPE_LIB_KERNEL_COMPAT_H
#define PERISCOPE_LIB_KERNEL_COMPAT_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

/*
 * Connection generations. Atomic fetch-and-add (BPF_FETCH, 5.12, commit
 * 5ffa25502b5a) would give one global counter; without it each CPU counts on
 * its own and the CPU number fills the low bits, which keeps generations
 * unique across CPUs. A plain read-modify-write of a per-CPU slot is safe:
 * tracing programs run with preemption disabled and bpf_prog_active stops a
 * second tracing program from nesting on the same CPU.
 */
#define GENERATION_CPU_BITS 12 /* up to 4096 CPUs; 2^20 connections per CPU before a wrap */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u32);
} generation_counter SEC(".maps");

/* Never 0 (user space reads 0 as "no connection"). */
static __always_inline u32 new_generation(void)
{
	u32 zero = 0;
	u32 *count = bpf_map_lookup_elem(&generation_counter, &zero);
	u32 cpu = bpf_get_smp_processor_id() & ((1u << GENERATION_CPU_BITS) - 1);
	u32 next;

	if (!count)
		return 1;
	next = *count + 1;
	if ((next << GENERATION_CPU_BITS) == 0) /* wrapped: 0 would give generation 0 on CPU 0 */
		next = 1;
	*count = next;
	return (next << GENERATION_CPU_BITS) | cpu;
}

#endif /* PERISCOPE_LIB_KERNEL_COMPAT_H */
