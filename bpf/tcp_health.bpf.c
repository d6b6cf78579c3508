// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * TCP health per connection: bytes each way, retransmits, resets, failed
 * connects and connect time, state changes and smoothed RTT, kept in one
 * bounded hash keyed by the struct sock address. The agent reads the whole
 * map in batches each interval and reports deltas; nothing is streamed per
 * packet.
 *
 * Raw tracepoints (the kernel's own TP_PROTO arguments: struct sock *, not
 * the formatted tracepoint record): no kprobes or fentry on the target
 * kernels, and raw_tp needs neither. tcp:tcp_probe runs for every segment
 * an established socket receives (ACKs included), so the kernel-kept byte
 * counters and srtt are refreshed in both directions without a per-packet
 * event to user space.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "tcp/sock_read.h"
#include "tcp/stats_map.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* The agent's own process: its export connection is not a workload's. */
const volatile u32 self_tgid = 0;

/*
 * The entry of sk, created when missing. `starting` (SYN sent or received):
 * a closed entry under the same key belongs to an earlier socket at the same
 * address, freed and reused before the agent collected it; it moves to
 * tcp_closed (counted when that is full) and a fresh entry takes its place
 * (user space tells them apart by opened_ns).
 */
static __always_inline struct tcp_conn_stats *track(const struct sock *sk, u8 role, bool in_task, bool starting)
{
	u64 key = (u64)sk;
	struct tcp_conn_stats *stats = bpf_map_lookup_elem(&tcp_stats, &key);
	struct tcp_conn_stats fresh = {};
	u64 update_flags = BPF_NOEXIST;

	if (stats && !(starting && (stats->flags & TCP_CONN_CLOSED)))
		return stats;
	if (stats) {
		u64 closed_key = stats->sock_id ^ stats->opened_ns;

		if (bpf_map_update_elem(&tcp_closed, &closed_key, stats, BPF_NOEXIST) != 0)
			count_tcp_drop(TCP_DROP_CLOSED_REPLACED);
		update_flags = BPF_EXIST;
	}
	/*
	 * The agent's own socket is never tracked. A closed entry at its address
	 * was moved aside above and must go from tcp_stats too: left there, this
	 * socket's later events (find()) would write its counters into the old
	 * connection under the old opened_ns, and user space would read counters
	 * going backwards (seen while the agent reconnected to a killed collector).
	 */
	if (in_task && (bpf_get_current_pid_tgid() >> 32) == self_tgid) {
		if (stats)
			bpf_map_delete_elem(&tcp_stats, &key);
		return NULL;
	}
	fresh.sock_id = key;
	fresh.opened_ns = bpf_ktime_get_ns();
	fresh.role = role;
	fresh.state = BPF_CORE_READ(sk, __sk_common.skc_state);
	read_endpoints(sk, &fresh);
	if (in_task) {
		fresh.tgid = bpf_get_current_pid_tgid() >> 32;
		bpf_get_current_comm(fresh.comm, sizeof(fresh.comm));
	}
	/* BPF_NOEXIST: another CPU may have created it since the lookup. */
	if (bpf_map_update_elem(&tcp_stats, &key, &fresh, update_flags) != 0 &&
	    !bpf_map_lookup_elem(&tcp_stats, &key)) {
		count_tcp_drop(TCP_DROP_STATS_MAP_FULL);
		return NULL;
	}
	return bpf_map_lookup_elem(&tcp_stats, &key);
}

static __always_inline struct tcp_conn_stats *find(const struct sock *sk)
{
	u64 key = (u64)sk;

	return bpf_map_lookup_elem(&tcp_stats, &key);
}

SEC("raw_tp/inet_sock_set_state")
int BPF_PROG(on_set_state, const struct sock *sk, int oldstate, int newstate)
{
	struct tcp_conn_stats *stats;
	u64 now = bpf_ktime_get_ns();

	/*
	 * Listening sockets are not connections (the tracepoint also fires for
	 * SCTP/DCCP). A listener's child is cloned with the listener's state, so
	 * its first transition reads LISTEN -> SYN_RECV: that one is a connection.
	 */
	if (!is_inet_tcp(sk) || newstate == TCP_LISTEN || (oldstate == TCP_LISTEN && newstate != TCP_SYN_RECV))
		return 0;

	if (newstate == TCP_SYN_SENT) {
		/* tcp_v4/v6_connect(): the caller's own context, so pid and comm are right. */
		stats = track(sk, TCP_ROLE_CLIENT, true, true);
		if (stats)
			stats->connect_start_ns = now;
	} else if (newstate == TCP_SYN_RECV) {
		/* The child of a listener, cloned in softirq: the process is learnt at accept(). */
		stats = track(sk, TCP_ROLE_SERVER, false, true);
	} else {
		stats = find(sk);
	}
	if (!stats)
		return 0;

	if (oldstate == TCP_SYN_SENT && newstate == TCP_ESTABLISHED && stats->connect_start_ns)
		stats->connect_ns = now - stats->connect_start_ns;
	if (oldstate == TCP_SYN_SENT && newstate == TCP_CLOSE)
		stats->flags |= TCP_CONN_CONNECT_FAILED;
	if (newstate == TCP_CLOSE)
		stats->flags |= TCP_CONN_CLOSED;
	/*
	 * connect() sets SYN_SENT before it picks the source port, and CLOSE is
	 * traced after the port is released: refresh the endpoints in between
	 * only (a refused connect never shows its local port).
	 */
	if (newstate != TCP_CLOSE && newstate != TCP_SYN_SENT)
		read_endpoints(sk, stats);
	read_tcp_counters(sk, stats);
	stats->state = newstate;
	stats->states_seen |= 1u << (newstate & 31);
	__sync_fetch_and_add(&stats->state_changes, 1);
	stats->last_event_ns = now;
	return 0;
}

SEC("raw_tp/tcp_probe")
int BPF_PROG(on_tcp_probe, const struct sock *sk, const struct sk_buff *skb)
{
	/* Established sockets older than the agent are adopted here (role unknown). */
	struct tcp_conn_stats *stats = track(sk, TCP_ROLE_UNKNOWN, false, false);

	if (!stats)
		return 0;
	read_tcp_counters(sk, stats);
	stats->last_event_ns = bpf_ktime_get_ns();
	return 0;
}

SEC("raw_tp/tcp_retransmit_skb")
int BPF_PROG(on_retransmit, const struct sock *sk, const struct sk_buff *skb)
{
	struct tcp_conn_stats *stats = find(sk);

	if (!stats) {
		/* A SYN_SENT socket was tracked at connect(); anything else is an old connection. */
		if (BPF_CORE_READ(sk, __sk_common.skc_state) != TCP_ESTABLISHED)
			return 0;
		stats = track(sk, TCP_ROLE_UNKNOWN, false, false);
		if (!stats)
			return 0;
	}
	__sync_fetch_and_add(&stats->retransmits, 1);
	stats->last_event_ns = bpf_ktime_get_ns();
	return 0;
}

/*
 * sk is NULL for a reset answering a segment that matched no socket (the
 * server side of a refused connect); that client counts it as received.
 * With SO_LINGER 0, tcp_disconnect() moves to CLOSE before it sends the
 * reset: the entry is still there (user space keeps closed entries one more
 * interval), so the reset is counted.
 */
SEC("raw_tp/tcp_send_reset")
int BPF_PROG(on_send_reset, const struct sock *sk)
{
	struct tcp_conn_stats *stats;

	if (!sk)
		return 0;
	stats = find(sk);
	if (!stats)
		return 0;
	__sync_fetch_and_add(&stats->resets_sent, 1);
	stats->last_event_ns = bpf_ktime_get_ns();
	return 0;
}

SEC("raw_tp/tcp_receive_reset")
int BPF_PROG(on_receive_reset, const struct sock *sk)
{
	struct tcp_conn_stats *stats = find(sk);

	if (!stats)
		return 0;
	__sync_fetch_and_add(&stats->resets_received, 1);
	stats->last_event_ns = bpf_ktime_get_ns();
	return 0;
}

/* accept() returns the server-side socket in its owner's context: learn the process. */
static __always_inline int on_accept_exit(long fd)
{
	struct sock *sk;
	struct tcp_conn_stats *stats;

	if (fd < 0)
		return 0;
	sk = sock_of_fd(fd);
	if (!sk || !is_inet_tcp(sk))
		return 0;
	stats = track(sk, TCP_ROLE_SERVER, true, false);
	if (!stats || stats->tgid != 0)
		return 0;
	stats->tgid = bpf_get_current_pid_tgid() >> 32;
	if (stats->tgid == self_tgid) {
		u64 key = (u64)sk;

		bpf_map_delete_elem(&tcp_stats, &key);
		return 0;
	}
	bpf_get_current_comm(stats->comm, sizeof(stats->comm));
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_accept4")
int on_accept4_exit(struct trace_event_raw_sys_exit *ctx)
{
	return on_accept_exit(ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_accept")
int on_accept_exit_plain(struct trace_event_raw_sys_exit *ctx)
{
	return on_accept_exit(ctx->ret);
}
