/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The CPU profiler's kernel/user-space layout (bpf/profile.bpf.c and the
 * native addon's profile_program.cc). Plain C types only: the addon includes
 * this without vmlinux.h.
 */
#ifndef PERISCOPE_COMMON_PROFILE_H
#define PERISCOPE_COMMON_PROFILE_H

/* bpf_get_stackid() walks at most this many frames (PERF_MAX_STACK_DEPTH). */
#define PROFILE_MAX_DEPTH 127
#define PROFILE_STACKS_MAX 16384
#define PROFILE_COUNTS_MAX 16384

/* Value of profile_key.*_stack_id when no stack was taken (reason in the drops). */
#define PROFILE_NO_STACK (-1)

/* One aggregation cell. pid is the thread (kernel pid), tgid the process. */
struct profile_key {
	unsigned int pid;
	unsigned int tgid;
	int user_stack_id;
	int kernel_stack_id;
};

#define PROFILE_FLAG_KTHREAD 1u /* task->flags & PF_KTHREAD */
#define PROFILE_FLAG_IDLE 2u    /* pid 0: the CPU's idle task */

struct profile_value {
	unsigned long long count;
	char comm[16]; /* the thread's name when the cell was created */
	unsigned int flags;
	unsigned int pad;
};

enum profile_drop {
	PROFILE_DROP_COUNTS_FULL = 0,     /* a sample with no room for its cell: not counted anywhere */
	PROFILE_DROP_USER_COLLISION = 1,  /* user stack's hash bucket held another stack: counted without it */
	PROFILE_DROP_KERNEL_COLLISION = 2, /* the same for the kernel stack */
	PROFILE_DROP_USER_FAULT = 3,      /* user stack not readable (e.g. no user part): counted without it */
	PROFILE_DROP_MAX = 4,
};

#endif /* PERISCOPE_COMMON_PROFILE_H */
