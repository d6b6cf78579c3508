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
#include "lib/fd_socket.h"
#include "lib/payload_copy.h"
#include "lib/protocol_peek.h"
#include "maps/conn_map.h"
#include "maps/events.h"
#include "maps/syscall_args.h"

#define PERISCOPE_EINPROGRESS 115

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* The agent's own process: set before load so it never traces its own exports. */
const volatile u32 self_tgid = 0;

static __always_inline bool is_self(u64 pid_tgid)
{
	return (u32)(pid_tgid >> 32) == self_tgid;
}

static __always_inline void save_fd_args(s32 fd)
{
	u64 pid_tgid = bpf_get_current_pid_tgid();
	struct fd_args args = { .fd = fd };

	if (is_self(pid_tgid))
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

	if (is_self(pid_tgid) || ret < 0)
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

	/* Most close() calls are on files, not connections: save nothing for them. */
	if (bpf_map_lookup_elem(&conn_map, &key))
		save_fd_args((s32)ctx->args[0]);
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

	if (is_self(pid_tgid))
		return;
	if (!bpf_map_lookup_elem(&conn_map, &key)) {
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

static __always_inline void on_data_exit(long ret, u8 direction)
{
	u64 pid_tgid = bpf_get_current_pid_tgid();
	struct data_args *args = bpf_map_lookup_elem(&data_args_map, &pid_tgid);
	struct data_event_scratch *scratch;
	struct conn_state *state;
	u32 zero = 0;
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
	scratch = this_cpu_scratch();
	if (ret <= 0 || !state || !scratch)
		goto done;

	struct data_event *ev = (struct data_event *)scratch->bytes;
	u32 syscall_len = (u32)ret;
	u64 *stream_bytes = direction == DIR_EGRESS ? &state->bytes_sent : &state->bytes_received;
	const void *user_buf = (const void *)args->buf;
	u32 iov_count = args->iov_count;

	/* Protocols are recognised by how a direction's stream begins, never mid-stream. */
	if (state->protocol == PROTOCOL_UNKNOWN && *stream_bytes == 0)
		state->protocol = infer_protocol(state, user_buf, iov_count, syscall_len, direction);

	ev->stream_offset = *stream_bytes;
	*stream_bytes += syscall_len;
	ev->syscall_len = syscall_len;
	ev->direction = direction;
	ev->source = args->source;
	ev->protocol = state->protocol;
	ev->role = state->role;
	ev->_pad = 0;

	/* Unrecognised traffic is reported by size only: a few bytes, not a copy. */
	u32 captured = 0;
	if (state->protocol != PROTOCOL_UNKNOWN) {
		struct capture_config *config = bpf_map_lookup_elem(&capture_config, &zero);
		u32 cap = config ? config->capture_bytes : PERISCOPE_DEFAULT_CAPTURE;

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
	ev->captured_len = captured;

	u64 size = sizeof(*ev) + captured;
	fill_header(&ev->hdr, pid_tgid, args->fd, state->generation, EVENT_DATA, (u16)size);
	/* Re-bound for the verifier: it tracks `captured`, not `size`, across the calls above. */
	if (size <= sizeof(*scratch))
		emit(scratch, size);
done:
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
