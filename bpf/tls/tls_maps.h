/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * State of the TLS uprobes: the SSL call in progress per thread, the socket
 * each SSL object was last seen on, the last socket each thread touched, and
 * the processes that use TLS at all (so other processes' syscalls cost one
 * lookup). Every map is bounded; tls_drops counts what did not fit.
 */
#ifndef PERISCOPE_TLS_MAPS_H
#define PERISCOPE_TLS_MAPS_H

#define PERISCOPE_TLS_MAX_THREADS 16384
#define PERISCOPE_TLS_MAX_SESSIONS 65536

/* SSL_read/SSL_write (or _ex) between entry and return on one thread. */
struct tls_call {
	u64 ssl;
	u64 buf;
	u64 out_len; /* _ex: user pointer to the size_t byte count; 0 otherwise */
	s32 fd;      /* socket read/written inside the call (socket BIO); -1 when none */
	u8 direction; /* enum traffic_direction */
	u8 _pad[3];
};

struct tls_session_key {
	u32 tgid;
	u32 _pad;
	u64 ssl;
};

enum tls_drop {
	TLS_DROP_CALLS_FULL = 0, /* a thread's SSL call could not be remembered */
	TLS_DROP_NO_SOCKET = 1,  /* plaintext whose socket could not be found */
	TLS_DROP_MAX = 2,
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, PERISCOPE_TLS_MAX_THREADS);
	__type(key, u64); /* pid_tgid */
	__type(value, struct tls_call);
} tls_calls SEC(".maps");

/* LRU: nothing tells us when an SSL object is freed (no SSL_free probe). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, PERISCOPE_TLS_MAX_SESSIONS);
	__type(key, struct tls_session_key);
	__type(value, s32);
} tls_session_fd SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, PERISCOPE_TLS_MAX_THREADS);
	__type(key, u64); /* pid_tgid */
	__type(value, s32);
} tls_thread_fd SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, PERISCOPE_TLS_MAX_THREADS);
	__type(key, u32); /* tgid */
	__type(value, u8);
} tls_tgids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, TLS_DROP_MAX);
	__type(key, u32);
	__type(value, u64);
} tls_drops SEC(".maps");

static __always_inline void count_tls_drop(u32 which)
{
	u64 *counter = bpf_map_lookup_elem(&tls_drops, &which);

	if (counter)
		*counter += 1;
}

#endif
