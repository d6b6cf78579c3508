/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * TLS plaintext from uprobes on OpenSSL's SSL_read/SSL_write and their _ex
 * variants, in libssl.so.3 and in binaries that link OpenSSL statically and
 * export them (node). Included at the end of socket_trace.bpf.c: it shares
 * that object's connection map, ring buffer, controls and data path
 * (emit_data_event), and its self/filter checks. The agent attaches the
 * uprobes per binary (packages/agent/src/native/uprobe_attach.cc).
 *
 * Which socket an SSL object talks over:
 * 1. libssl's socket BIO: the read()/write() on the socket happens inside
 *    SSL_read/SSL_write on the same thread; the syscall tracepoints below
 *    note its fd in the thread's tls_call.
 * 2. Otherwise (memory BIOs: Node's TLSWrap feeds ciphertext in and out
 *    itself) the socket this thread read or wrote last: Node reads the
 *    ciphertext and then calls SSL_read in the same callback, and writes the
 *    ciphertext right after SSL_write; a client's first SSL_write follows
 *    the handshake's I/O on the same socket.
 * The answer is kept per (process, SSL*) and reused while that socket is
 * tracked. Limits: a thread that interleaves several TLS sockets between
 * the syscall and the SSL call (not Node's or libssl's pattern) can be
 * attributed to the wrong one; an SSL* freed and reused for another socket
 * before it is seen with a syscall keeps the old socket; plaintext whose
 * socket is not found is counted (TLS_DROP_NO_SOCKET), not guessed.
 */
#ifndef PERISCOPE_TLS_PROBES_H
#define PERISCOPE_TLS_PROBES_H

#include "tls_conn.h"
#include "tls_maps.h"

static __always_inline void mark_tls_process(u32 tgid)
{
	u8 present = 1;

	if (!bpf_map_lookup_elem(&tls_tgids, &tgid))
		bpf_map_update_elem(&tls_tgids, &tgid, &present, BPF_ANY);
}

static __always_inline int tls_call_enter(u64 ssl, u64 buf, u64 out_len, u8 direction)
{
	u64 pid_tgid = bpf_get_current_pid_tgid();
	struct tls_call call = { .ssl = ssl, .buf = buf, .out_len = out_len, .fd = -1, .direction = direction };

	if (not_traced(pid_tgid))
		return 0;
	mark_tls_process(pid_tgid >> 32);
	if (bpf_map_update_elem(&tls_calls, &pid_tgid, &call, BPF_ANY) != 0)
		count_tls_drop(TLS_DROP_CALLS_FULL);
	return 0;
}

/* The plaintext connection beside the socket's, opened on its first bytes. */
static __always_inline bool open_tls_connection(u64 pid_tgid, s32 fd)
{
	u32 tgid = pid_tgid >> 32;
	u64 socket_key = conn_key(tgid, fd);
	u64 tls_key = conn_key(tgid, fd | PERISCOPE_TLS_FD_BIT);
	struct conn_state *socket_state = bpf_map_lookup_elem(&conn_map, &socket_key);
	struct conn_state state = {};
	struct conn_open_event ev = {};
	u8 transport = 0;
	struct sock *sk;

	if (bpf_map_lookup_elem(&conn_map, &tls_key))
		return true;
	if (!socket_state)
		return false;
	sk = inet_sock_of_fd(fd, &transport);
	if (!sk || transport != TRANSPORT_TCP)
		return false;
	state.generation = new_generation();
	state.role = socket_state->role;
	state.protocol = PROTOCOL_UNKNOWN;
	state.transport = TRANSPORT_TCP;
	state.flags = socket_state->flags & CONN_SAMPLED_OUT;
	if (bpf_map_update_elem(&conn_map, &tls_key, &state, BPF_ANY) != 0) {
		count_drop(DROP_CONN_MAP_FULL);
		return false;
	}
	if (state.flags & CONN_SAMPLED_OUT)
		return true;
	fill_header(&ev.hdr, pid_tgid, fd | PERISCOPE_TLS_FD_BIT, state.generation, EVENT_CONN_OPEN, sizeof(ev));
	read_sock_addresses(sk, &ev);
	ev.role = socket_state->role;
	ev.source = SYSCALL_UNKNOWN;
	ev.transport = TRANSPORT_TCP;
	bpf_get_current_comm(ev.comm, sizeof(ev.comm));
	emit(&ev, sizeof(ev));
	return true;
}

static __always_inline bool socket_tracked(u32 tgid, s32 fd)
{
	u64 key = conn_key(tgid, fd);

	return fd >= 0 && bpf_map_lookup_elem(&conn_map, &key) != NULL;
}

static __always_inline int tls_call_return(long ret)
{
	u64 pid_tgid = bpf_get_current_pid_tgid();
	u32 tgid = pid_tgid >> 32;
	struct tls_call *call = bpf_map_lookup_elem(&tls_calls, &pid_tgid);
	struct tls_session_key session = {};
	struct data_request req = {};
	u64 bytes = 0;
	s32 fd;

	if (!call)
		return 0;
	if (call->out_len) {
		/* SSL_read_ex/SSL_write_ex return 1 and store the count through their last argument. */
		if (ret == 1)
			bpf_probe_read_user(&bytes, sizeof(bytes), (const void *)call->out_len);
	} else if (ret > 0) {
		bytes = ret;
	}
	session.tgid = tgid;
	session.ssl = call->ssl;
	fd = call->fd;
	if (fd < 0) {
		s32 *known = bpf_map_lookup_elem(&tls_session_fd, &session);

		if (known && socket_tracked(tgid, *known))
			fd = *known;
	}
	if (fd < 0) {
		s32 *last = bpf_map_lookup_elem(&tls_thread_fd, &pid_tgid);

		if (last && socket_tracked(tgid, *last))
			fd = *last;
	}
	req.buf = call->buf;
	req.direction = call->direction;
	bpf_map_delete_elem(&tls_calls, &pid_tgid);
	if (bytes == 0 || bytes > 0x7fffffff)
		return 0;
	if (fd < 0) {
		count_tls_drop(TLS_DROP_NO_SOCKET);
		return 0;
	}
	bpf_map_update_elem(&tls_session_fd, &session, &fd, BPF_ANY);
	if (!open_tls_connection(pid_tgid, fd))
		return 0;
	req.pid_tgid = pid_tgid;
	req.syscall_len = (u32)bytes;
	req.fd = fd | PERISCOPE_TLS_FD_BIT;
	req.source = req.direction == DIR_EGRESS ? SYSCALL_WRITE : SYSCALL_READ;
	struct data_request *slot = this_cpu_data_request();

	if (!slot)
		return 0;
	*slot = req;
	emit_data_event();
	return 0;
}

SEC("uprobe")
int BPF_KPROBE(tls_write_enter, void *ssl, const void *buf, int num)
{
	return tls_call_enter((u64)ssl, (u64)buf, 0, DIR_EGRESS);
}

SEC("uprobe")
int BPF_KPROBE(tls_write_ex_enter, void *ssl, const void *buf, size_t num, size_t *written)
{
	return tls_call_enter((u64)ssl, (u64)buf, (u64)written, DIR_EGRESS);
}

SEC("uprobe")
int BPF_KPROBE(tls_read_enter, void *ssl, void *buf, int num)
{
	return tls_call_enter((u64)ssl, (u64)buf, 0, DIR_INGRESS);
}

SEC("uprobe")
int BPF_KPROBE(tls_read_ex_enter, void *ssl, void *buf, size_t num, size_t *readbytes)
{
	return tls_call_enter((u64)ssl, (u64)buf, (u64)readbytes, DIR_INGRESS);
}

/* One return program serves all four: the entry saved what differs. */
SEC("uretprobe")
int BPF_KRETPROBE(tls_call_exit, long ret)
{
	return tls_call_return(ret);
}

/* A server's handshake runs before its first SSL_read: mark the process early so its socket I/O is noted. */
SEC("uprobe")
int BPF_KPROBE(tls_handshake_enter)
{
	u64 pid_tgid = bpf_get_current_pid_tgid();

	if (!not_traced(pid_tgid))
		mark_tls_process(pid_tgid >> 32);
	return 0;
}

/*
 * Socket I/O of processes that use TLS: inside an SSL call it names the
 * call's socket; otherwise it is the thread's last socket (rule 2 above).
 * read/write/readv/writev (OpenSSL's socket BIO, libuv) and send/recv
 * (sendto/recvfrom: curl's own BIO since 7.87), sendmsg/recvmsg.
 */
static __always_inline void note_tls_socket_io(s32 fd)
{
	u64 pid_tgid = bpf_get_current_pid_tgid();
	u32 tgid = pid_tgid >> 32;
	struct tls_call *call;

	if (!bpf_map_lookup_elem(&tls_tgids, &tgid) || !socket_tracked(tgid, fd))
		return;
	call = bpf_map_lookup_elem(&tls_calls, &pid_tgid);
	if (call && call->fd < 0)
		call->fd = fd;
	bpf_map_update_elem(&tls_thread_fd, &pid_tgid, &fd, BPF_ANY);
}

SEC("tracepoint/syscalls/sys_enter_read")
int tls_note_read(struct trace_event_raw_sys_enter *ctx)
{
	note_tls_socket_io((s32)ctx->args[0]);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_write")
int tls_note_write(struct trace_event_raw_sys_enter *ctx)
{
	note_tls_socket_io((s32)ctx->args[0]);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_readv")
int tls_note_readv(struct trace_event_raw_sys_enter *ctx)
{
	note_tls_socket_io((s32)ctx->args[0]);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_writev")
int tls_note_writev(struct trace_event_raw_sys_enter *ctx)
{
	note_tls_socket_io((s32)ctx->args[0]);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_sendto")
int tls_note_sendto(struct trace_event_raw_sys_enter *ctx)
{
	note_tls_socket_io((s32)ctx->args[0]);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_recvfrom")
int tls_note_recvfrom(struct trace_event_raw_sys_enter *ctx)
{
	note_tls_socket_io((s32)ctx->args[0]);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_sendmsg")
int tls_note_sendmsg(struct trace_event_raw_sys_enter *ctx)
{
	note_tls_socket_io((s32)ctx->args[0]);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_recvmsg")
int tls_note_recvmsg(struct trace_event_raw_sys_enter *ctx)
{
	note_tls_socket_io((s32)ctx->args[0]);
	return 0;
}

/* close() of a socket ends its plaintext connection too. */
SEC("tracepoint/syscalls/sys_enter_close")
int tls_close(struct trace_event_raw_sys_enter *ctx)
{
	u64 pid_tgid = bpf_get_current_pid_tgid();
	s32 fd = (s32)ctx->args[0];

	if (fd < 0 || !bpf_map_lookup_elem(&tls_tgids, &(u32){ pid_tgid >> 32 }))
		return 0;
	close_connection(pid_tgid, fd | PERISCOPE_TLS_FD_BIT);
	return 0;
}

#endif /* PERISCOPE_TLS_PROBES_H */
