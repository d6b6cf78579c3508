/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * One data event for bytes a syscall moved on a tracked connection: stream
 * offsets, protocol inference on a direction's first bytes, the run-time
 * controls (protocol off, capture cap per syscall, disabled connections),
 * then the payload copy.
 *
 * A global function, so the verifier walks the copy loops once per program
 * rather than once per caller state: sendmmsg/recvmmsg call it in a loop,
 * once per message (global functions since Linux 5.6).
 */
#ifndef PERISCOPE_LIB_DATA_EMIT_H
#define PERISCOPE_LIB_DATA_EMIT_H

#include "../common/socket_trace.h"
#include "../maps/conn_map.h"
#include "../maps/controls.h"
#include "../maps/events.h"
#include "conn_lifecycle.h"
#include "payload_copy.h"
#include "protocol_peek.h"

/* What one syscall (or one message of sendmmsg/recvmmsg) moved. */
struct data_request {
	u64 pid_tgid;
	u64 buf;         /* user pointer: flat bytes, or an iovec array when iov_count > 0 */
	u32 syscall_len; /* bytes moved, > 0 */
	u32 iov_count;
	s32 fd;
	u8 direction; /* enum traffic_direction */
	u8 source;    /* enum source_syscall */
	u8 no_payload; /* sendfile: the bytes came from a file and are never copied */
	u8 _pad;
};

/*
 * The request reaches emit_data_event() in a per-CPU slot, not as a pointer
 * argument (lib/kernel_compat.h: pointer arguments need 5.12).
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct data_request);
} data_request_slot SEC(".maps");

static __always_inline struct data_request *this_cpu_data_request(void)
{
	u32 zero = 0;

	return bpf_map_lookup_elem(&data_request_slot, &zero);
}

static __always_inline bool protocol_disabled(const struct capture_config *config, u8 protocol)
{
	return config && protocol < 32 && (config->disabled_protocols & (1u << protocol));
}

/*
 * For this CPU's data request (this_cpu_data_request()). Returns 0 when an
 * event was sent or deliberately not (sampling, protocol off), -1 otherwise.
 */
__noinline int emit_data_event(void)
{
	struct data_request *req = this_cpu_data_request();

	if (!req || req->syscall_len == 0)
		return -1;

	u64 key = conn_key(req->pid_tgid >> 32, req->fd);
	struct conn_state *state = bpf_map_lookup_elem(&conn_map, &key);
	struct data_event_scratch *scratch = this_cpu_scratch();
	struct capture_config *config = current_capture_config();

	if (!state || !scratch)
		return -1;
	if (state->flags & CONN_SAMPLED_OUT)
		return 0;

	u32 syscall_len = req->syscall_len;
	u8 direction = req->direction;
	u64 *stream_bytes = direction == DIR_EGRESS ? &state->bytes_sent : &state->bytes_received;
	const void *user_buf = (const void *)req->buf;
	u32 iov_count = req->iov_count;

	/* Protocols are recognised by how a direction's stream begins, never mid-stream. */
	if (state->protocol == PROTOCOL_UNKNOWN && *stream_bytes == 0 && !req->no_payload)
		state->protocol = infer_protocol(state, user_buf, iov_count, syscall_len, direction);

	u64 stream_offset = *stream_bytes;
	*stream_bytes += syscall_len;
	/* Offsets still advance: re-enabling the protocol later shows the skipped bytes as a gap. */
	if (protocol_disabled(config, state->protocol))
		return 0;

	struct data_event *ev = (struct data_event *)scratch->bytes;
	ev->stream_offset = stream_offset;
	ev->syscall_len = syscall_len;
	ev->direction = direction;
	ev->source = req->source;
	ev->protocol = state->protocol;
	ev->role = state->role;
	ev->flags = 0;

	/* Unrecognised traffic is reported by size only: a few bytes, not a copy. */
	u32 captured = 0;
	if (state->protocol != PROTOCOL_UNKNOWN && !req->no_payload) {
		u32 *disabled_generation = bpf_map_lookup_elem(&disabled_conns, &key);

		if (disabled_generation && *disabled_generation == state->generation) {
			ev->flags = DATA_FLAG_PAYLOAD_DISABLED;
			count_drop(DROP_DISABLED_PAYLOAD);
		} else {
			u32 cap = config ? config->capture_bytes[req->source & (PERISCOPE_SYSCALL_SLOTS - 1)]
					 : PERISCOPE_DEFAULT_CAPTURE;
			u32 want = syscall_len < cap ? syscall_len : cap;
			bool faulted = false;

			if (iov_count == 0) {
				captured = copy_flat(ev->data, user_buf, want);
				faulted = want > 0 && captured == 0;
			} else {
				captured = copy_iov(ev->data, user_buf, iov_count, want, &faulted);
			}
			if (faulted)
				count_drop(DROP_READ_FAILED);
		}
	}
	ev->captured_len = captured;

	u64 size = sizeof(*ev) + captured;
	fill_header(&ev->hdr, req->pid_tgid, req->fd, state->generation, EVENT_DATA, (u16)size);
	/* Re-bound for the verifier: it tracks `captured`, not `size`, across the calls above. */
	if (size <= sizeof(*scratch))
		emit(scratch, size);
	return 0;
}

#endif /* PERISCOPE_LIB_DATA_EMIT_H */
