import { describe, expect, it } from "vitest";
import { compileAndRunC } from "./compile-c.js";
import { Direction, KernelProtocol, Role, SourceSyscall } from "./events.js";
import {
  AddressFamily,
  CaptureConfigLayout,
  ConnCloseLayout,
  ConnOpenLayout,
  DataEventLayout,
  DataFlag,
  DEFAULT_CAPTURE_BYTES,
  DropCounterIndex,
  EventHeaderLayout,
  EventType,
  FilterFlag,
  FilterMark,
  MAX_CAPTURE_BYTES,
  SYSCALL_SLOTS,
  TransportCode,
} from "./layout.js";

// Each pair: a C expression over bpf/common/socket_trace.h, and the number
// the TypeScript side uses for it.
const facts: Array<[string, number]> = [
  ["sizeof(struct event_header)", EventHeaderLayout.size],
  ["offsetof(struct event_header, timestamp_ns)", EventHeaderLayout.timestampNs],
  ["offsetof(struct event_header, conn.tgid)", EventHeaderLayout.connTgid],
  ["offsetof(struct event_header, conn.fd)", EventHeaderLayout.connFd],
  ["offsetof(struct event_header, conn.generation)", EventHeaderLayout.connGeneration],
  ["offsetof(struct event_header, pid)", EventHeaderLayout.pid],
  ["offsetof(struct event_header, type)", EventHeaderLayout.type],
  ["offsetof(struct event_header, size)", EventHeaderLayout.recordSize],

  ["sizeof(struct conn_open_event)", ConnOpenLayout.size],
  ["offsetof(struct conn_open_event, local_addr)", ConnOpenLayout.localAddr],
  ["offsetof(struct conn_open_event, remote_addr)", ConnOpenLayout.remoteAddr],
  ["sizeof(((struct conn_open_event *)0)->local_addr)", ConnOpenLayout.addrBytes],
  ["offsetof(struct conn_open_event, family)", ConnOpenLayout.family],
  ["offsetof(struct conn_open_event, local_port)", ConnOpenLayout.localPort],
  ["offsetof(struct conn_open_event, remote_port)", ConnOpenLayout.remotePort],
  ["offsetof(struct conn_open_event, role)", ConnOpenLayout.role],
  ["offsetof(struct conn_open_event, source)", ConnOpenLayout.source],
  ["offsetof(struct conn_open_event, comm)", ConnOpenLayout.comm],
  ["sizeof(((struct conn_open_event *)0)->comm)", ConnOpenLayout.commBytes],
  ["offsetof(struct conn_open_event, transport)", ConnOpenLayout.transport],

  ["sizeof(struct conn_close_event)", ConnCloseLayout.size],
  ["offsetof(struct conn_close_event, bytes_sent)", ConnCloseLayout.bytesSent],
  ["offsetof(struct conn_close_event, bytes_received)", ConnCloseLayout.bytesReceived],

  ["sizeof(struct data_event)", DataEventLayout.size],
  ["offsetof(struct data_event, stream_offset)", DataEventLayout.streamOffset],
  ["offsetof(struct data_event, syscall_len)", DataEventLayout.syscallLen],
  ["offsetof(struct data_event, captured_len)", DataEventLayout.capturedLen],
  ["offsetof(struct data_event, direction)", DataEventLayout.direction],
  ["offsetof(struct data_event, source)", DataEventLayout.source],
  ["offsetof(struct data_event, protocol)", DataEventLayout.protocol],
  ["offsetof(struct data_event, role)", DataEventLayout.role],
  ["offsetof(struct data_event, flags)", DataEventLayout.flags],
  ["offsetof(struct data_event, data)", DataEventLayout.data],
  ["DATA_FLAG_PAYLOAD_DISABLED", DataFlag.PayloadDisabled],

  ["sizeof(struct capture_config)", CaptureConfigLayout.size],
  ["offsetof(struct capture_config, capture_bytes)", CaptureConfigLayout.captureBytes],
  ["offsetof(struct capture_config, disabled_protocols)", CaptureConfigLayout.disabledProtocols],
  ["offsetof(struct capture_config, filter_flags)", CaptureConfigLayout.filterFlags],
  ["offsetof(struct capture_config, sample_every)", CaptureConfigLayout.sampleEvery],
  ["PERISCOPE_SYSCALL_SLOTS", SYSCALL_SLOTS],
  ["FILTER_PID_INCLUDE", FilterFlag.PidInclude],
  ["FILTER_PID_EXCLUDE", FilterFlag.PidExclude],
  ["FILTER_CGROUP_INCLUDE", FilterFlag.CgroupInclude],
  ["FILTER_CGROUP_EXCLUDE", FilterFlag.CgroupExclude],
  ["FILTER_MARK_INCLUDE", FilterMark.Include],
  ["FILTER_MARK_EXCLUDE", FilterMark.Exclude],

  ["PERISCOPE_MAX_CAPTURE", MAX_CAPTURE_BYTES],
  ["PERISCOPE_DEFAULT_CAPTURE", DEFAULT_CAPTURE_BYTES],
  ["EVENT_CONN_OPEN", EventType.ConnOpen],
  ["EVENT_CONN_CLOSE", EventType.ConnClose],
  ["EVENT_DATA", EventType.Data],
  ["ROLE_UNKNOWN", Role.Unknown],
  ["ROLE_CLIENT", Role.Client],
  ["ROLE_SERVER", Role.Server],
  ["DIR_EGRESS", Direction.Egress],
  ["DIR_INGRESS", Direction.Ingress],
  ["SYSCALL_UNKNOWN", SourceSyscall.Unknown],
  ["SYSCALL_READ", SourceSyscall.Read],
  ["SYSCALL_WRITE", SourceSyscall.Write],
  ["SYSCALL_SENDTO", SourceSyscall.SendTo],
  ["SYSCALL_RECVFROM", SourceSyscall.RecvFrom],
  ["SYSCALL_CONNECT", SourceSyscall.Connect],
  ["SYSCALL_ACCEPT", SourceSyscall.Accept],
  ["SYSCALL_CLOSE", SourceSyscall.Close],
  ["SYSCALL_READV", SourceSyscall.ReadV],
  ["SYSCALL_WRITEV", SourceSyscall.WriteV],
  ["SYSCALL_SENDMSG", SourceSyscall.SendMsg],
  ["SYSCALL_RECVMSG", SourceSyscall.RecvMsg],
  ["SYSCALL_SENDMMSG", SourceSyscall.SendMMsg],
  ["SYSCALL_RECVMMSG", SourceSyscall.RecvMMsg],
  ["SYSCALL_SENDFILE", SourceSyscall.SendFile],
  ["PROTOCOL_UNKNOWN", KernelProtocol.Unknown],
  ["PROTOCOL_HTTP1", KernelProtocol.Http1],
  ["PROTOCOL_HTTP2", KernelProtocol.Http2],
  ["PROTOCOL_POSTGRES", KernelProtocol.Postgres],
  ["PROTOCOL_MYSQL", KernelProtocol.Mysql],
  ["PROTOCOL_REDIS", KernelProtocol.Redis],
  ["PROTOCOL_DNS", KernelProtocol.Dns],
  ["PROTOCOL_KAFKA", KernelProtocol.Kafka],
  ["PROTOCOL_AMQP", KernelProtocol.Amqp],
  ["PROTOCOL_NATS", KernelProtocol.Nats],
  ["PROTOCOL_MONGO", KernelProtocol.Mongo],
  ["PROTOCOL_MQTT", KernelProtocol.Mqtt],
  ["DROP_RINGBUF_FULL", DropCounterIndex.RingbufFull],
  ["DROP_CONN_MAP_FULL", DropCounterIndex.ConnMapFull],
  ["DROP_READ_FAILED", DropCounterIndex.ReadFailed],
  ["DROP_SAMPLED_OUT", DropCounterIndex.SampledOut],
  ["DROP_DISABLED_PAYLOAD", DropCounterIndex.DisabledPayload],
  ["DROP_MMSG_TRUNCATED", DropCounterIndex.MmsgTruncated],
  ["DROP_COUNTER_MAX", DropCounterIndex.Count],
  ["TRANSPORT_TCP", TransportCode.Tcp],
  ["TRANSPORT_UDP", TransportCode.Udp],
  ["AF_INET", AddressFamily.Inet],
  ["AF_INET6", AddressFamily.Inet6],
];

function cValues(): Map<string, number> {
  const prints = facts
    .map(([expr]) => `\tprintf("%s=%ld\\n", ${JSON.stringify(expr)}, (long)(${expr}));`)
    .join("\n");
  const output = compileAndRunC(
    `#include <stddef.h>\n#include <stdio.h>\n#include <sys/socket.h>\n#include "common/socket_trace.h"\n\nint main(void)\n{\n${prints}\n\treturn 0;\n}\n`,
  );
  const values = new Map<string, number>();
  for (const line of output.trim().split("\n")) {
    const at = line.lastIndexOf("=");
    values.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return values;
}

describe("layout.ts mirrors bpf/common/socket_trace.h", () => {
  const fromC = cValues();

  it.each(facts)("%s", (expr, tsValue) => {
    expect(fromC.get(expr)).toBe(tsValue);
  });

  it("covers every enumerator the TypeScript enums declare", () => {
    // A new enum member on the TS side without a fact above would go unchecked.
    const tsEnumMembers =
      Object.keys(Role).length +
      Object.keys(Direction).length +
      Object.keys(SourceSyscall).length +
      Object.keys(KernelProtocol).length;
    const enumFacts = facts.filter(([expr]) => /^(ROLE|DIR|SYSCALL|PROTOCOL)_/.test(expr)).length;
    expect(enumFacts).toBe(tsEnumMembers);
  });
});
