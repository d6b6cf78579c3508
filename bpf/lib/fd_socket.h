/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * From a file descriptor of the current task to its TCP or UDP socket, through the
 * kernel's own fd table (task->files->fdt->fd[fd]->private_data->sk), so the
 * addresses reported are the kernel's, not a user pointer that may lie or
 * have been reused.
 *
 * All reads are CO-RE; this is the one place that knows the layout of the
 * fd table and struct sock_common.
 */
#ifndef PERISCOPE_LIB_FD_SOCKET_H
#define PERISCOPE_LIB_FD_SOCKET_H

#include "../common/socket_trace.h"

#define PERISCOPE_AF_INET 2
#define PERISCOPE_AF_INET6 10
#define PERISCOPE_SOCK_STREAM 1
#define PERISCOPE_SOCK_DGRAM 2
#define PERISCOPE_IPPROTO_UDP 17
#define PERISCOPE_S_IFMT 00170000
#define PERISCOPE_S_IFSOCK 0140000

/*
 * Returns the IPv4/IPv6 TCP or UDP socket behind fd and sets *transport, or
 * NULL for any other file (including SOCK_DGRAM ICMP "ping" sockets).
 */
static __always_inline struct sock *inet_sock_of_fd(s32 fd, u8 *transport)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds;
	struct file *file = NULL;

	if (!fdt || fd < 0 || (u32)fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	if (bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]) != 0 || !file)
		return NULL;

	/* A socket's file has an S_IFSOCK inode; any other file's private_data is not a socket. */
	if ((BPF_CORE_READ(file, f_inode, i_mode) & PERISCOPE_S_IFMT) != PERISCOPE_S_IFSOCK)
		return NULL;

	struct socket *socket = BPF_CORE_READ(file, private_data);
	struct sock *sk = BPF_CORE_READ(socket, sk);
	if (!sk)
		return NULL;

	u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (family != PERISCOPE_AF_INET && family != PERISCOPE_AF_INET6)
		return NULL;
	/*
	 * sk_type and sk_protocol are plain u16 since Linux 5.6 (sk_protocol
	 * grew to 16 bits for MPTCP); before, bitfields needing BPF_CORE_READ_BITFIELD.
	 */
	u16 type = BPF_CORE_READ(sk, sk_type);
	if (type == PERISCOPE_SOCK_STREAM) {
		*transport = TRANSPORT_TCP;
		return sk;
	}
	if (type == PERISCOPE_SOCK_DGRAM && BPF_CORE_READ(sk, sk_protocol) == PERISCOPE_IPPROTO_UDP) {
		*transport = TRANSPORT_UDP;
		return sk;
	}
	return NULL;
}

/* Fills family, addresses and ports of an open event from the socket. */
static __always_inline void read_sock_addresses(struct sock *sk, struct conn_open_event *ev)
{
	u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);

	ev->family = family;
	ev->local_port = BPF_CORE_READ(sk, __sk_common.skc_num);
	ev->remote_port = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (family == PERISCOPE_AF_INET) {
		__be32 local = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		__be32 remote = BPF_CORE_READ(sk, __sk_common.skc_daddr);

		__builtin_memcpy(ev->local_addr, &local, sizeof(local));
		__builtin_memcpy(ev->remote_addr, &remote, sizeof(remote));
	} else {
		bpf_core_read(ev->local_addr, sizeof(ev->local_addr), &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_core_read(ev->remote_addr, sizeof(ev->remote_addr), &sk->__sk_common.skc_v6_daddr);
	}
}

#endif /* PERISCOPE_LIB_FD_SOCKET_H */
