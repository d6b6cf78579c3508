/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The peer of an unconnected UDP socket, which the socket itself does not
 * know: the destination sockaddr of sendto()/sendmsg() or the source one the
 * kernel wrote for recvfrom()/recvmsg(). Both are user memory; the caller
 * reads it after the syscall moved a datagram, so it holds what the kernel
 * used (sendto) or filled in (recvfrom).
 *
 *   sockaddr_in  (16 bytes): family u16 | port be16 | addr[4]   | zero[8]
 *   sockaddr_in6 (28 bytes): family u16 | port be16 | flowinfo u32 | addr[16] | scope_id u32
 */
#ifndef PERISCOPE_LIB_UDP_PEER_H
#define PERISCOPE_LIB_UDP_PEER_H

#include "../common/socket_trace.h"
#include "fd_socket.h"

#define PERISCOPE_SOCKADDR_IN_LEN 16
#define PERISCOPE_SOCKADDR_IN6_ADDR_END 24 /* family, port, flowinfo, address */

/* Overwrites ev's remote address and port with the sockaddr at user_addr, if it is one. */
static __always_inline void read_udp_peer(u64 user_addr, struct conn_open_event *ev)
{
	u8 sa[PERISCOPE_SOCKADDR_IN6_ADDR_END] = {};
	u16 family;

	if (!user_addr || bpf_probe_read_user(sa, PERISCOPE_SOCKADDR_IN_LEN, (const void *)user_addr) != 0)
		return;
	__builtin_memcpy(&family, sa, sizeof(family));
	if (family == PERISCOPE_AF_INET6) {
		if (bpf_probe_read_user(sa, sizeof(sa), (const void *)user_addr) != 0)
			return;
		__builtin_memcpy(ev->remote_addr, sa + 8, 16);
	} else if (family == PERISCOPE_AF_INET) {
		__builtin_memset(ev->remote_addr, 0, sizeof(ev->remote_addr));
		if (ev->family == PERISCOPE_AF_INET6) {
			/* An IPv6 socket sending to an IPv4 sockaddr: report it v4-mapped (RFC 4291 2.5.5.2). */
			ev->remote_addr[10] = 0xff;
			ev->remote_addr[11] = 0xff;
			__builtin_memcpy(ev->remote_addr + 12, sa + 4, 4);
		} else {
			__builtin_memcpy(ev->remote_addr, sa + 4, 4);
		}
	} else {
		return;
	}
	ev->remote_port = ((u16)sa[2] << 8) | sa[3];
}

#endif /* PERISCOPE_LIB_UDP_PEER_H */
