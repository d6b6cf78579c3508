import { describe, expect, it } from "vitest";
import { compileAndRunC } from "../capture/compile-c.js";
import { TcpStatsLayout as L, TCP_HEALTH_DEFAULT_MAX_CONNS, TcpConnFlag, TcpRole } from "./layout.js";

// Each pair: a C expression over bpf/tcp/tcp_health.h, and the TypeScript mirror's number.
const facts: Array<[string, number]> = [
  ["sizeof(struct tcp_conn_stats)", L.size],
  ["offsetof(struct tcp_conn_stats, sock_id)", L.sockId],
  ["offsetof(struct tcp_conn_stats, opened_ns)", L.openedNs],
  ["offsetof(struct tcp_conn_stats, connect_start_ns)", L.connectStartNs],
  ["offsetof(struct tcp_conn_stats, connect_ns)", L.connectNs],
  ["offsetof(struct tcp_conn_stats, bytes_acked)", L.bytesAcked],
  ["offsetof(struct tcp_conn_stats, bytes_received)", L.bytesReceived],
  ["offsetof(struct tcp_conn_stats, last_event_ns)", L.lastEventNs],
  ["offsetof(struct tcp_conn_stats, tgid)", L.tgid],
  ["offsetof(struct tcp_conn_stats, retransmits)", L.retransmits],
  ["offsetof(struct tcp_conn_stats, resets_sent)", L.resetsSent],
  ["offsetof(struct tcp_conn_stats, resets_received)", L.resetsReceived],
  ["offsetof(struct tcp_conn_stats, state_changes)", L.stateChanges],
  ["offsetof(struct tcp_conn_stats, srtt_us)", L.srttUs],
  ["offsetof(struct tcp_conn_stats, states_seen)", L.statesSeen],
  ["offsetof(struct tcp_conn_stats, family)", L.family],
  ["offsetof(struct tcp_conn_stats, local_port)", L.localPort],
  ["offsetof(struct tcp_conn_stats, remote_port)", L.remotePort],
  ["offsetof(struct tcp_conn_stats, state)", L.state],
  ["offsetof(struct tcp_conn_stats, role)", L.role],
  ["offsetof(struct tcp_conn_stats, flags)", L.flags],
  ["offsetof(struct tcp_conn_stats, local_addr)", L.localAddr],
  ["offsetof(struct tcp_conn_stats, remote_addr)", L.remoteAddr],
  ["sizeof(((struct tcp_conn_stats *)0)->local_addr)", L.addrBytes],
  ["offsetof(struct tcp_conn_stats, comm)", L.comm],
  ["sizeof(((struct tcp_conn_stats *)0)->comm)", L.commBytes],
  ["TCP_ROLE_CLIENT", TcpRole.Client],
  ["TCP_ROLE_SERVER", TcpRole.Server],
  ["TCP_CONN_CONNECT_FAILED", TcpConnFlag.ConnectFailed],
  ["TCP_CONN_CLOSED", TcpConnFlag.Closed],
  ["TCP_HEALTH_DEFAULT_MAX_CONNS", TCP_HEALTH_DEFAULT_MAX_CONNS],
];

describe("tcp_conn_stats layout", () => {
  it("matches bpf/tcp/tcp_health.h as the C compiler lays it out", () => {
    const body = facts.map(([expr]) => `  printf("%lu\\n", (unsigned long)(${expr}));`).join("\n");
    const output = compileAndRunC(
      `#include <stddef.h>\n#include <stdio.h>\n#include "tcp/tcp_health.h"\nint main(void) {\n${body}\n  return 0;\n}\n`,
    );
    const values = output.trim().split("\n").map(Number);
    expect(Object.fromEntries(facts.map(([expr], i) => [expr, values[i]]))).toEqual(
      Object.fromEntries(facts.map(([expr, value]) => [expr, value])),
    );
  });
});
