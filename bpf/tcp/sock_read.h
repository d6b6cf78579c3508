/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the TCP health programs read from a struct sock / tcp_sock (CO-RE),
 * and the fd -> sock walk used at accept(). The one place that knows those
 * layouts for this object.
 */
#ifndef PERISCOPE_TCP_SOCK_READ_H
#define PERISCOPE_TCP_SOCK_READ_H

#include "tcp_health.h"

#define TCP_HEALTH_AF_INET 2
#define TCP_HEALTH_AF_INET6 10
#define TCP_HEALTH_IPPROTO_TCP 6
#define TCP_HEALTH_S_IFMT 00170000
#define TCP_HEALTH_S_IFSOCK 0140000

static __always_inline bool is_inet_tcp(const struct sock *sk)
{
	u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);

	if (family != TCP_HEALTH_AF_INET && family != TCP_HEALTH_AF_INET6)
		return false;
	/* A plain u16 since Linux 5.6 (widened for MPTCP). */
	return BPF_CORE_READ(sk, sk_protocol) == TCP_HEALTH_IPPROTO_TCP;
}

static __always_inline void read_endpoints(const struct sock *sk, struct tcp_conn_stats *stats)
{
	u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);

	stats->family = family;
	stats->local_port = BPF_CORE_READ(sk, __sk_common.skc_num);
	stats->remote_port = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (family == TCP_HEALTH_AF_INET) {
		__be32 local = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		__be32 remote = BPF_CORE_READ(sk, __sk_common.skc_daddr);

		__builtin_memcpy(stats->local_addr, &local, 4);
		__builtin_memcpy(stats->remote_addr, &remote, 4);
	} else {
		BPF_CORE_READ_INTO(&stats->local_addr, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8);
		BPF_CORE_READ_INTO(&stats->remote_addr, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr8);
	}
}

/* Counters the kernel keeps itself (RFC 4898 names); read at every event. */
static __always_inline void read_tcp_counters(const struct sock *sk, struct tcp_conn_stats *stats)
{
	const struct tcp_sock *tp = (const struct tcp_sock *)sk;

	stats->bytes_acked = BPF_CORE_READ(tp, bytes_acked);
	stats->bytes_received = BPF_CORE_READ(tp, bytes_received);
	stats->srtt_us = BPF_CORE_READ(tp, srtt_us) >> 3;
}

/* The current task's socket behind fd, or NULL (task->files->fdt->fd[fd]). */
static __always_inline struct sock *sock_of_fd(long fd)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds;
	struct file *file = NULL;

	if (!fdt || fd < 0 || (u64)fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	if (bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]) != 0 || !file)
		return NULL;
	if ((BPF_CORE_READ(file, f_inode, i_mode) & TCP_HEALTH_S_IFMT) != TCP_HEALTH_S_IFSOCK)
		return NULL;
	struct socket *socket = BPF_CORE_READ(file, private_data);

	return BPF_CORE_READ(socket, sk);
}

#endif
