/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Runs protocols/infer.h on the first bytes of a direction's stream.
 *
 * The checks are many small branches; inlined into every data-exit program
 * they multiplied the verifier's states with those of the payload copy
 * (108k instructions processed, 3 s per program). As a global function the
 * verifier checks them once per program, on their own, whatever the caller's
 * state ("BPF-to-BPF calls", global functions since Linux 5.6). Reading
 * the peek is one too, for the same reason.
 */
#ifndef PERISCOPE_LIB_PROTOCOL_PEEK_H
#define PERISCOPE_LIB_PROTOCOL_PEEK_H

#include "../common/socket_trace.h"
#include "../maps/events.h"
#include "../protocols/infer.h"
#include "payload_copy.h"

struct protocol_peek {
	/* Twice the peek: peek_iov's verifier-friendly bounds (see copy_iov). */
	unsigned char bytes[2 * PERISCOPE_PEEK_BYTES];
	u32 len;         /* valid bytes, <= PERISCOPE_PEEK_BYTES; zero after */
	u32 syscall_len; /* what the syscall moved (a UDP datagram's size) */
	u8 role;
	u8 direction;
	u8 transport;
	u8 _pad[5];
};

/*
 * The peek reaches the two global functions below in a per-CPU slot, not as
 * a pointer argument (lib/kernel_compat.h: pointer arguments need 5.12).
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct protocol_peek);
} peek_slot SEC(".maps");

static __always_inline struct protocol_peek *this_cpu_peek(void)
{
	u32 zero = 0;

	return bpf_map_lookup_elem(&peek_slot, &zero);
}

/*
 * Fills this CPU's peek->bytes (zeroed by the caller) and peek->len with the
 * first bytes of user_buf: flat bytes, or an iovec array when iov_count > 0.
 * Returns 0, or -1 when the user memory could not be read.
 */
__noinline int read_protocol_peek(u64 user_buf, u32 iov_count)
{
	const void *user = (const void *)user_buf;
	struct protocol_peek *peek = this_cpu_peek();

	if (!peek)
		return -1;
	u32 n = peek->syscall_len < PERISCOPE_PEEK_BYTES ? peek->syscall_len : PERISCOPE_PEEK_BYTES;

	if (iov_count > 0) {
		n = peek_iov(peek->bytes, PERISCOPE_PEEK_BYTES, user, iov_count, n);
	} else if (n > PERISCOPE_PEEK_BYTES || bpf_probe_read_user(peek->bytes, n, user) != 0) {
		/* Exactly n bytes: what lies past them is the user's buffer, not the stream. */
		return -1;
	}
	peek->len = n;
	return 0;
}

/*
 * Separate from the read so that the verifier walks the checks once with
 * len unknown, not once per range of len the read's branches produced.
 */
__noinline int infer_protocol_of_peek(void)
{
	struct protocol_peek *peek = this_cpu_peek();

	if (!peek || peek->len > PERISCOPE_PEEK_BYTES)
		return PROTOCOL_UNKNOWN;
	return infer_protocol_from_peek(peek->bytes, peek->len, peek->syscall_len, peek->role, peek->direction,
					peek->transport);
}

/* Protocol of a direction's first bytes (user_buf: flat bytes, or an iovec array when iov_count > 0). */
static __always_inline u8 infer_protocol(const struct conn_state *state, const void *user_buf, u32 iov_count,
					 u32 syscall_len, u8 direction)
{
	struct protocol_peek *peek = this_cpu_peek();

	if (!peek)
		return PROTOCOL_UNKNOWN;
	__builtin_memset(peek, 0, sizeof(*peek));
	peek->syscall_len = syscall_len;
	peek->role = state->role;
	peek->direction = direction;
	peek->transport = state->transport;
	if (read_protocol_peek((u64)user_buf, iov_count) != 0) {
		count_drop(DROP_READ_FAILED);
		return PROTOCOL_UNKNOWN;
	}
	return (u8)infer_protocol_of_peek();
}

#endif /* PERISCOPE_LIB_PROTOCOL_PEEK_H */
