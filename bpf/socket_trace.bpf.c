// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Socket tracer: follows every TCP connection and UDP socket of every
 * process through syscall tracepoints (kprobes and fentry are not available on the target
 * kernels) and streams connection lifecycle and payload to user space.
 *
 * Each syscall is split in two: sys_enter_* saves the arguments keyed by the
 * thread, sys_exit_* acts on the return value, so only bytes the kernel
 * really moved are reported.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "common/socket_trace.h"
#include "lib/conn_lifecycle.h"
#include "lib/data_emit.h"
#include "lib/fd_socket.h"
#include "lib/payload_copy.h"
#include "lib/protocol_peek.h"
#include "maps/conn_map.h"
#include "maps/controls.h"
#include "maps/events.h"
#include "maps/syscall_args.h"

#define PERISCOPE_EINPROGRESS 115

/*
 * Messages of one sendmmsg()/recvmmsg() reported; later ones are counted in
 * DROP_MMSG_TRUNCATED. glibc's resolver sends 2 (A and AAAA) per call.
 */
#define PERISCOPE_MAX_MMSG 16

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* The agent's own process: set before load so it never traces its own exports. */
const volatile u32 self_tgid = 0;

static __always_inline bool is_self(u64 pid_tgid)
{
	return (u32)(pid_tgid >> 32) == self_tgid;
}

/* The agent itself, or a process the pid/cgroup filters leave out. */
static __always_inline bool not_traced(u64 pid_tgid)
{
	return is_self(pid_tgid) || current_filtered_out(pid_tgid >> 32);
}

static __always_inline void save_fd_args(s32 fd)
{
	u64 pid_tgid = bpf_get_current_pid_tgid();
	struct fd_args args = { .fd = fd };

	if (not_traced(pid_tgid))
		return;
	if (bpf_map_update_elem(&fd_args_map, &pid_tgid, &args, BPF_ANY) != 0)
		count_drop(DROP_CONN_MAP_FULL);
}

/* Pops the saved fd of this thread's syscall; false when none was saved. */
static __always_inline bool take_fd_args(u64 pid_tgid, s32 *fd)
{
	struct fd_args *args = bpf_map_lookup_elem(&fd_args_map, &pid_tgid);

	if (!args)
		return false;
	*fd = args->fd;
	bpf_map_delete_elem(&fd_args_map, &pid_tgid);
	return true;
}

/* ---- connect / accept / close / process exit --------------------------- */

SEC("tracepoint/syscalls/sys_enter_connect")
int enter_connect(struct trace_event_raw_sys_enter *ctx)
{
	save_fd_args((s32)ctx->args[0]);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_connect")
int exit_connect(struct trace_event_raw_sys_exit *ctx)
{
	u64 pid_tgid = bpf_get_current_pid_tgid();
	s32 fd;

	if (!take_fd_args(pid_tgid, &fd))
		return 0;
	/* Non-blocking sockets (every event loop) return -EINPROGRESS: the SYN is out. */
	if (ctx->ret == 0 || ctx->ret == -PERISCOPE_EINPROGRESS)
		open_connection(pid_tgid, fd, ROLE_CLIENT, SYSCALL_CONNECT, TRANSPORT_TCP, 0);
	return 0;
}

static __always_inline void on_accept_exit(long ret)
{
	u64 pid_tgid = bpf_get_current_pid_tgid();

	if (ret < 0 || not_traced(pid_tgid))
		return;
	open_connection(pid_tgid, (s32)ret, ROLE_SERVER, SYSCALL_ACCEPT, TRANSPORT_TCP, 0);
}

SEC("tracepoint/syscalls/sys_exit_accept")
int exit_accept(struct trace_event_raw_sys_exit *ctx)
{
	on_accept_exit(ctx->ret);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_accept4")
int exit_accept4(struct trace_event_raw_sys_exit *ctx)
{
	on_accept_exit(ctx->ret);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_close")
int enter_close(struct trace_event_raw_sys_enter *ctx)
{
	u64 pid_tgid = bpf_get_current_pid_tgid();
	u64 key = conn_key(pid_tgid >> 32, (s32)ctx->args[0]);

	struct fd_args args = { .fd = (s32)ctx->args[0] };

	/*
	 * Most close() calls are on files, not connections: save nothing for
	 * them. Not filtered: a connection opened before its process was
	 * excluded must still end.
	 */
	if (bpf_map_lookup_elem(&conn_map, &key) && bpf_map_update_elem(&fd_args_map, &pid_tgid, &args, BPF_ANY) != 0)
		count_drop(DROP_CONN_MAP_FULL);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_close")
int exit_close(struct trace_event_raw_sys_exit *ctx)
{
	u64 pid_tgid = bpf_get_current_pid_tgid();
	s32 fd;

	if (!take_fd_args(pid_tgid, &fd))
		return 0;
	if (ctx->ret == 0)
		close_connection(pid_tgid, fd);
	return 0;
}

SEC("tracepoint/sched/sched_process_exit")
int on_process_exit(void *ctx)
{
	close_connections_of_exiting_process();
	return 0;
}

/* ---- read / write / sendto / recvfrom and their iovec forms ------------ */

/*
 * Saves the arguments when fd is a connection we follow. A TCP socket opened
 * before the agent started is adopted here (its role is then unknown). A UDP
 * socket is opened at exit instead: whether it first sends or receives makes
 * it client or server, and an unconnected socket's peer is only known once
 * a datagram moved. connect() on UDP sends nothing (resolvers use it to pick
 * a source address), so UDP is never opened there.
 */
static __always_inline void on_data_enter(s32 fd, u64 buf, u32 iov_count, u8 source, u64 peer_addr)
{
	u64 pid_tgid = bpf_get_current_pid_tgid();
	u64 key = conn_key(pid_tgid >> 32, fd);
	struct data_args args = { .buf = buf, .peer_addr = peer_addr, .iov_count = iov_count, .fd = fd, .source = source };
	struct conn_state *state;

	if (not_traced(pid_tgid))
		return;
	state = bpf_map_lookup_elem(&conn_map, &key);
	if (state && (state->flags & CONN_SAMPLED_OUT))
		return;
	if (!state) {
		u8 transport = 0;

		if (!inet_sock_of_fd(fd, &transport))
			return;
		if (transport == TRANSPORT_UDP)
			args.open_udp_on_exit = 1;
		else if (!open_connection(pid_tgid, fd, ROLE_UNKNOWN, source, TRANSPORT_TCP, 0))
			return;
	}
	if (bpf_map_update_elem(&data_args_map, &pid_tgid, &args, BPF_ANY) != 0)
		count_drop(DROP_CONN_MAP_FULL);
}

/* sendmsg()/recvmsg(): the iovec array and the peer's sockaddr are inside the user's msghdr. */
static __always_inline void on_msg_enter(s32 fd, const struct user_msghdr *user_msg, u8 source)
{
	struct user_msghdr msg;

	if (bpf_probe_read_user(&msg, sizeof(msg), user_msg) != 0) {
		count_drop(DROP_READ_FAILED);
		return;
	}
	if (msg.msg_iovlen > 0)
		on_data_enter(fd, (u64)msg.msg_iov, (u32)msg.msg_iovlen, source, (u64)msg.msg_name);
}

/*
 * sendmmsg()/recvmmsg(): an array of {msghdr, msg_len}; the kernel fills
 * msg_len with each message's bytes by exit. Saved like sendmsg(), with the
 * array as buf, its length as iov_count and the first message's sockaddr.
 */
static __always_inline void on_mmsg_enter(s32 fd, const struct mmsghdr *user_vec, u32 vlen, u8 source)
{
	void *first_peer = NULL;

	if (vlen == 0)
		return;
	if (bpf_probe_read_user(&first_peer, sizeof(first_peer), &user_vec[0].msg_hdr.msg_name) != 0) {
		count_drop(DROP_READ_FAILED);
		return;
	}
	on_data_enter(fd, (u64)user_vec, vlen, source, (u64)first_peer);
}

/* One data event per message the syscall moved (ret: how many). */
static __always_inline void emit_mmsg_events(struct data_request *req, long ret)
{
	const struct mmsghdr *vec = (const struct mmsghdr *)req->buf;

	for (u32 i = 0; i < PERISCOPE_MAX_MMSG; i++) {
		struct mmsghdr msg;

		if (i >= ret)
			return;
		if (bpf_probe_read_user(&msg, sizeof(msg), &vec[i]) != 0) {
			count_drop(DROP_READ_FAILED);
			return;
		}
		req->buf = (u64)msg.msg_hdr.msg_iov;
		req->iov_count = (u32)msg.msg_hdr.msg_iovlen;
		req->syscall_len = msg.msg_len;
		if (msg.msg_len > 0)
			emit_data_event();
		req->buf = (u64)vec;
	}
	if (ret > PERISCOPE_MAX_MMSG)
		count_drops(DROP_MMSG_TRUNCATED, ret - PERISCOPE_MAX_MMSG);
}

static __always_inline void on_data_exit(long ret, u8 direction)
{
	u64 pid_tgid = bpf_get_current_pid_tgid();
	struct data_args *args = bpf_map_lookup_elem(&data_args_map, &pid_tgid);
	struct conn_state *state;
	u64 key;

	if (!args)
		return;
	key = conn_key(pid_tgid >> 32, args->fd);
	state = bpf_map_lookup_elem(&conn_map, &key);
	/* Another thread may have opened it meanwhile: then state is already there. */
	if (!state && args->open_udp_on_exit && ret > 0) {
		u32 role = direction == DIR_EGRESS ? ROLE_CLIENT : ROLE_SERVER;

		if (open_udp_connection(pid_tgid, args->fd, role | (u32)args->source << 8, args->peer_addr) == 0)
			state = bpf_map_lookup_elem(&conn_map, &key);
	}
	struct data_request *req = this_cpu_data_request();

	if (ret > 0 && state && req) {
		*req = (struct data_request){
			.pid_tgid = pid_tgid,
			.buf = args->buf,
			.syscall_len = (u32)ret,
			.iov_count = args->iov_count,
			.fd = args->fd,
			.direction = direction,
			.source = args->source,
			.no_payload = args->source == SYSCALL_SENDFILE,
		};

		/* emit_mmsg_events() rewrites the slot per message, which emit_data_event() reads. */
		if (args->source == SYSCALL_SENDMMSG || args->source == SYSCALL_RECVMMSG)
			emit_mmsg_events(req, ret);
		else
			emit_data_event();
	}
	bpf_map_delete_elem(&data_args_map, &pid_tgid);
}

SEC("tracepoint/syscalls/sys_enter_read")
int enter_read(struct trace_event_raw_sys_enter *ctx)
{
	on_data_enter((s32)ctx->args[0], ctx->args[1], 0, SYSCALL_READ, 0);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_read")
int exit_read(struct trace_event_raw_sys_exit *ctx)
{
	on_data_exit(ctx->ret, DIR_INGRESS);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_recvfrom")
int enter_recvfrom(struct trace_event_raw_sys_enter *ctx)
{
	on_data_enter((s32)ctx->args[0], ctx->args[1], 0, SYSCALL_RECVFROM, ctx->args[4]);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_recvfrom")
int exit_recvfrom(struct trace_event_raw_sys_exit *ctx)
{
	on_data_exit(ctx->ret, DIR_INGRESS);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_write")
int enter_write(struct trace_event_raw_sys_enter *ctx)
{
	on_data_enter((s32)ctx->args[0], ctx->args[1], 0, SYSCALL_WRITE, 0);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_write")
int exit_write(struct trace_event_raw_sys_exit *ctx)
{
	on_data_exit(ctx->ret, DIR_EGRESS);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_sendto")
int enter_sendto(struct trace_event_raw_sys_enter *ctx)
{
	on_data_enter((s32)ctx->args[0], ctx->args[1], 0, SYSCALL_SENDTO, ctx->args[4]);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_sendto")
int exit_sendto(struct trace_event_raw_sys_exit *ctx)
{
	on_data_exit(ctx->ret, DIR_EGRESS);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_readv")
int enter_readv(struct trace_event_raw_sys_enter *ctx)
{
	on_data_enter((s32)ctx->args[0], ctx->args[1], (u32)ctx->args[2], SYSCALL_READV, 0);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_readv")
int exit_readv(struct trace_event_raw_sys_exit *ctx)
{
	on_data_exit(ctx->ret, DIR_INGRESS);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_writev")
int enter_writev(struct trace_event_raw_sys_enter *ctx)
{
	on_data_enter((s32)ctx->args[0], ctx->args[1], (u32)ctx->args[2], SYSCALL_WRITEV, 0);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_writev")
int exit_writev(struct trace_event_raw_sys_exit *ctx)
{
	on_data_exit(ctx->ret, DIR_EGRESS);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_sendmsg")
int enter_sendmsg(struct trace_event_raw_sys_enter *ctx)
{
	on_msg_enter((s32)ctx->args[0], (const struct user_msghdr *)ctx->args[1], SYSCALL_SENDMSG);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_sendmsg")
int exit_sendmsg(struct trace_event_raw_sys_exit *ctx)
{
	on_data_exit(ctx->ret, DIR_EGRESS);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_recvmsg")
int enter_recvmsg(struct trace_event_raw_sys_enter *ctx)
{
	on_msg_enter((s32)ctx->args[0], (const struct user_msghdr *)ctx->args[1], SYSCALL_RECVMSG);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_recvmsg")
int exit_recvmsg(struct trace_event_raw_sys_exit *ctx)
{
	on_data_exit(ctx->ret, DIR_INGRESS);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_sendmmsg")
int enter_sendmmsg(struct trace_event_raw_sys_enter *ctx)
{
	on_mmsg_enter((s32)ctx->args[0], (const struct mmsghdr *)ctx->args[1], (u32)ctx->args[2], SYSCALL_SENDMMSG);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_sendmmsg")
int exit_sendmmsg(struct trace_event_raw_sys_exit *ctx)
{
	on_data_exit(ctx->ret, DIR_EGRESS);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_recvmmsg")
int enter_recvmmsg(struct trace_event_raw_sys_enter *ctx)
{
	on_mmsg_enter((s32)ctx->args[0], (const struct mmsghdr *)ctx->args[1], (u32)ctx->args[2], SYSCALL_RECVMMSG);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_recvmmsg")
int exit_recvmmsg(struct trace_event_raw_sys_exit *ctx)
{
	on_data_exit(ctx->ret, DIR_INGRESS);
	return 0;
}

/* sendfile(out_fd, in_fd, offset, count): sizes only, the bytes are a file's. */
SEC("tracepoint/syscalls/sys_enter_sendfile64")
int enter_sendfile64(struct trace_event_raw_sys_enter *ctx)
{
	on_data_enter((s32)ctx->args[0], 0, 0, SYSCALL_SENDFILE, 0);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_sendfile64")
int exit_sendfile64(struct trace_event_raw_sys_exit *ctx)
{
	on_data_exit(ctx->ret, DIR_EGRESS);
	return 0;
}

/* TLS plaintext (uprobes on OpenSSL), sharing this object's maps and data path. */
#include "tls/tls_probes.h"
