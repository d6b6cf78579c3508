// Mirror of struct tcp_conn_stats in bpf/tcp/tcp_health.h (checked against
// the C compiler by layout.test.ts).

export const TcpStatsLayout = {
  size: 144,
  sockId: 0,
  openedNs: 8,
  connectStartNs: 16,
  connectNs: 24,
  bytesAcked: 32,
  bytesReceived: 40,
  lastEventNs: 48,
  tgid: 56,
  retransmits: 60,
  resetsSent: 64,
  resetsReceived: 68,
  stateChanges: 72,
  srttUs: 76,
  statesSeen: 80,
  family: 84,
  localPort: 86,
  remotePort: 88,
  state: 90,
  role: 91,
  flags: 92,
  localAddr: 96,
  remoteAddr: 112,
  addrBytes: 16,
  comm: 128,
  commBytes: 16,
} as const;

export const TcpRole = { Unknown: 0, Client: 1, Server: 2 } as const;
export const TcpConnFlag = { ConnectFailed: 1, Closed: 2 } as const;
export const TCP_HEALTH_DEFAULT_MAX_CONNS = 16_384;

// include/net/tcp_states.h
export const TCP_STATE_NAMES = [
  "UNKNOWN",
  "ESTABLISHED",
  "SYN_SENT",
  "SYN_RECV",
  "FIN_WAIT1",
  "FIN_WAIT2",
  "TIME_WAIT",
  "CLOSE",
  "CLOSE_WAIT",
  "LAST_ACK",
  "LISTEN",
  "CLOSING",
  "NEW_SYN_RECV",
  "BOUND_INACTIVE",
] as const;
