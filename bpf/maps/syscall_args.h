/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Arguments saved at sys_enter_* for the matching sys_exit_*, keyed by the
 * thread's pid_tgid (a thread is in at most one syscall at a time).
 *
 * LRU: a thread killed inside a syscall never reaches sys_exit, and its entry
 * must not stay forever.
 */
#ifndef PERISCOPE_MAPS_SYSCALL_ARGS_H
#define PERISCOPE_MAPS_SYSCALL_ARGS_H

#include "../common/socket_trace.h"

#define PERISCOPE_MAX_INFLIGHT_SYSCALLS 16384

/* connect(), accept(), accept4() and close(): only the fd matters. */
struct fd_args {
	s32 fd;
	u32 _pad;
};

/*
 * read(), write(), sendto(), recvfrom(): which socket and where the bytes are;
 * readv(), writev(), sendmsg(), recvmsg(): buf is a struct iovec array.
 */
struct data_args {
	u64 buf;       /* user-space pointer: the bytes, or the iovec array */
	/*
	 * sendto()/sendmsg() destination or recvfrom()/recvmsg() source
	 * sockaddr (user memory, filled by the kernel at exit for the latter); 0 if none.
	 */
	u64 peer_addr;
	u32 iov_count; /* 0 for a flat buffer */
	s32 fd;
	u8 source; /* enum source_syscall */
	/* A UDP socket not yet tracked: open it at exit, once a datagram really moved. */
	u8 open_udp_on_exit;
	u8 _pad[6];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, PERISCOPE_MAX_INFLIGHT_SYSCALLS);
	__type(key, u64);
	__type(value, struct fd_args);
} fd_args_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, PERISCOPE_MAX_INFLIGHT_SYSCALLS);
	__type(key, u64);
	__type(value, struct data_args);
} data_args_map SEC(".maps");

#endif /* PERISCOPE_MAPS_SYSCALL_ARGS_H */
