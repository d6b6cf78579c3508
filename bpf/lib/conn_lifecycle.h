/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A connection's life as user space sees it: a conn-open event when tracking
 * starts (connect, accept, or first data on an older socket), a conn-close
 * event with byte totals when it ends (close(), or its process exiting).
 */
#ifndef PERISCOPE_LIB_CONN_LIFECYCLE_H
#define PERISCOPE_LIB_CONN_LIFECYCLE_H

#include "../common/socket_trace.h"
#include "../maps/conn_map.h"
#include "../maps/controls.h"
#include "../maps/events.h"
#include "fd_socket.h"
#include "kernel_compat.h"
#include "udp_peer.h"

static __always_inline void fill_header(struct event_header *hdr, u64 pid_tgid, s32 fd, u32 generation,
					u16 type, u16 size)
{
	hdr->timestamp_ns = bpf_ktime_get_ns();
	hdr->conn.tgid = pid_tgid >> 32;
	hdr->conn.fd = fd;
	hdr->conn.generation = generation;
	hdr->conn._reserved = 0;
	hdr->pid = (u32)pid_tgid;
	hdr->type = type;
	hdr->size = size;
}

/*
 * Starts tracking fd as a new connection and reports it. Returns the new
 * state, or NULL when fd is not a socket of `transport` or the map refused it.
 * A connection that sampling does not keep is tracked silently, flagged
 * CONN_SAMPLED_OUT (callers skip it).
 * peer_addr: for UDP, a user sockaddr naming the peer when the socket is
 * not connected (0 if none).
 */
static __always_inline struct conn_state *open_connection(u64 pid_tgid, s32 fd, u8 role, u8 source, u8 transport,
							  u64 peer_addr)
{
	u8 found_transport = 0;
	struct sock *sk = inet_sock_of_fd(fd, &found_transport);
	u32 tgid = pid_tgid >> 32;
	u64 key = conn_key(tgid, fd);
	struct conn_state state = {};
	struct conn_open_event ev = {};

	if (!sk || found_transport != transport)
		return NULL;

	state.generation = new_generation();
	state.role = role;
	state.protocol = PROTOCOL_UNKNOWN;
	state.transport = transport;
	if (!sampled_in())
		state.flags = CONN_SAMPLED_OUT;
	if (bpf_map_update_elem(&conn_map, &key, &state, BPF_ANY) != 0) {
		count_drop(DROP_CONN_MAP_FULL);
		return NULL;
	}
	mark_tgid_traced(tgid);
	if (state.flags & CONN_SAMPLED_OUT) {
		count_drop(DROP_SAMPLED_OUT);
		return bpf_map_lookup_elem(&conn_map, &key);
	}

	fill_header(&ev.hdr, pid_tgid, fd, state.generation, EVENT_CONN_OPEN, sizeof(ev));
	read_sock_addresses(sk, &ev);
	/* A connected UDP socket knows its peer (daddr/dport); an unconnected one has port 0 there. */
	if (transport == TRANSPORT_UDP && ev.remote_port == 0)
		read_udp_peer(peer_addr, &ev);
	ev.role = role;
	ev.source = source;
	ev.transport = transport;
	bpf_get_current_comm(ev.comm, sizeof(ev.comm));
	emit(&ev, sizeof(ev));
	return bpf_map_lookup_elem(&conn_map, &key);
}

/*
 * open_connection() for a UDP socket's first datagram, out of line: inlined
 * into each data-exit program it tripled what the verifier walks there.
 * Returns 0 when opened.
 */
__noinline int open_udp_connection(u64 pid_tgid, s32 fd, u32 role_and_source, u64 peer_addr)
{
	return open_connection(pid_tgid, fd, role_and_source & 0xff, role_and_source >> 8, TRANSPORT_UDP, peer_addr)
		       ? 0
		       : -1;
}

static __always_inline void close_connection(u64 pid_tgid, s32 fd)
{
	u64 key = conn_key(pid_tgid >> 32, fd);
	struct conn_state *state = bpf_map_lookup_elem(&conn_map, &key);
	struct conn_close_event ev = {};

	if (!state)
		return;
	bool silent = state->flags & CONN_SAMPLED_OUT;

	fill_header(&ev.hdr, pid_tgid, fd, state->generation, EVENT_CONN_CLOSE, sizeof(ev));
	ev.bytes_sent = state->bytes_sent;
	ev.bytes_received = state->bytes_received;
	bpf_map_delete_elem(&conn_map, &key);
	bpf_map_delete_elem(&disabled_conns, &key);
	if (!silent)
		emit(&ev, sizeof(ev));
}

struct exit_scan {
	u64 pid_tgid;
};

static long close_if_owned_by(struct bpf_map *map, u64 *key, struct conn_state *state, struct exit_scan *scan)
{
	struct conn_close_event ev = {};

	if ((u32)(*key >> 32) != (u32)(scan->pid_tgid >> 32))
		return 0;
	bpf_map_delete_elem(&disabled_conns, key);
	if (state->flags & CONN_SAMPLED_OUT) {
		bpf_map_delete_elem(map, key);
		return 0;
	}
	fill_header(&ev.hdr, scan->pid_tgid, (s32)(u32)*key, state->generation, EVENT_CONN_CLOSE, sizeof(ev));
	ev.bytes_sent = state->bytes_sent;
	ev.bytes_received = state->bytes_received;
	emit(&ev, sizeof(ev));
	bpf_map_delete_elem(map, key);
	return 0;
}

/*
 * A process that exits without close() (killed, or simply returning from
 * main) has its fds closed by the kernel, which no syscall tracepoint sees.
 * Close its connections here so user space does not wait for them forever.
 */
static __always_inline void close_connections_of_exiting_process(void)
{
	u64 pid_tgid = bpf_get_current_pid_tgid();
	u32 tgid = pid_tgid >> 32;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct exit_scan scan = { .pid_tgid = pid_tgid };

	if (!bpf_map_lookup_elem(&traced_tgids, &tgid))
		return;
	/* do_exit() decrements signal->live before this tracepoint: 0 means the last thread. */
	if (BPF_CORE_READ(task, signal, live.counter) != 0)
		return;
	bpf_for_each_map_elem(&conn_map, close_if_owned_by, &scan, 0);
	bpf_map_delete_elem(&traced_tgids, &tgid);
}

#endif /* PERISCOPE_LIB_CONN_LIFECYCLE_H */
