/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Copying a syscall's user-space bytes into a data event, from a flat buffer
 * (read/write/sendto/recvfrom) or gathered from an iovec array
 * (readv/writev/sendmsg/recvmsg).
 */
#ifndef PERISCOPE_LIB_PAYLOAD_COPY_H
#define PERISCOPE_LIB_PAYLOAD_COPY_H

#include "../common/socket_trace.h"

/*
 * iovecs looked at per syscall. Node's HTTP responses use 2-4 (head, chunk
 * size, body, trailer); bytes in later iovecs count in syscall_len but are
 * not captured.
 */
#define PERISCOPE_MAX_IOV 16

/* Returns bytes copied into dst: `want`, or 0 when the user memory faulted. */
static __always_inline u32 copy_flat(u8 *dst, const void *user_buf, u32 want)
{
	if (want > PERISCOPE_MAX_CAPTURE)
		want = PERISCOPE_MAX_CAPTURE;
	if (want == 0 || bpf_probe_read_user(dst, want, user_buf) != 0)
		return 0;
	return want;
}

/*
 * Gathers up to `want` bytes from iov[0..count) into dst (which has room for
 * 2 * PERISCOPE_MAX_CAPTURE). Returns bytes copied; a fault stops the copy
 * there and sets *faulted.
 */
static __always_inline u32 copy_iov(u8 *dst, const struct iovec *user_iov, u32 count, u32 want, bool *faulted)
{
	u32 copied = 0;

	if (want > PERISCOPE_MAX_CAPTURE)
		want = PERISCOPE_MAX_CAPTURE;
	for (u32 i = 0; i < PERISCOPE_MAX_IOV; i++) {
		struct iovec iov;

		if (i >= count || copied >= want)
			break;
		if (bpf_probe_read_user(&iov, sizeof(iov), &user_iov[i]) != 0) {
			*faulted = true;
			break;
		}
		u32 chunk = want - copied;
		if (iov.iov_len < chunk)
			chunk = iov.iov_len;
		/* Separate bounds on offset and size, as the verifier reasons about each. */
		u32 offset = copied & (PERISCOPE_MAX_CAPTURE - 1);
		chunk &= 2 * PERISCOPE_MAX_CAPTURE - 1;
		if (chunk > PERISCOPE_MAX_CAPTURE)
			break;
		if (chunk > 0 && bpf_probe_read_user(dst + offset, chunk, iov.iov_base) != 0) {
			*faulted = true;
			break;
		}
		copied += chunk;
	}
	return copied;
}

/*
 * iovecs gathered for protocol inference: a length prefix and a body are
 * often separate, and mqtt.js corks a CONNECT into a writev of one piece per
 * field (type, length, name length, "MQTT", level, flags, keep-alive...).
 */
#define PERISCOPE_PEEK_IOV 8

/*
 * Gathers the first `want` (<= peek_size) bytes of an iovec array's data
 * into dst, which has room for 2 * peek_size (peek_size a power of two),
 * for the same reason as copy_iov. Returns the bytes gathered.
 */
static __always_inline u32 peek_iov(u8 *dst, u32 peek_size, const struct iovec *user_iov, u32 count, u32 want)
{
	u32 copied = 0;

	for (u32 i = 0; i < PERISCOPE_PEEK_IOV; i++) {
		struct iovec iov;

		if (i >= count || copied >= want || bpf_probe_read_user(&iov, sizeof(iov), &user_iov[i]) != 0)
			break;
		u32 chunk = want - copied;
		if (iov.iov_len < chunk)
			chunk = iov.iov_len;
		u32 offset = copied & (peek_size - 1);
		chunk &= 2 * peek_size - 1;
		if (chunk > peek_size)
			break;
		if (chunk > 0 && bpf_probe_read_user(dst + offset, chunk, iov.iov_base) != 0)
			break;
		copied += chunk;
	}
	return copied;
}

#endif /* PERISCOPE_LIB_PAYLOAD_COPY_H */
