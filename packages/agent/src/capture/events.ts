// Kernel events after decoding, as the rest of the agent sees them.
// Mirrors bpf/common/socket_trace.h; layout.ts holds the byte offsets.

export const Role = { Unknown: 0, Client: 1, Server: 2 } as const;
export type Role = (typeof Role)[keyof typeof Role];

export const Direction = { Egress: 1, Ingress: 2 } as const;
export type Direction = (typeof Direction)[keyof typeof Direction];

export const SourceSyscall = {
  Unknown: 0,
  Read: 1,
  Write: 2,
  SendTo: 3,
  RecvFrom: 4,
  Connect: 5,
  Accept: 6,
  Close: 7,
  ReadV: 8,
  WriteV: 9,
  SendMsg: 10,
  RecvMsg: 11,
  /** One data event per message. */
  SendMMsg: 12,
  RecvMMsg: 13,
  /** Sizes only: the bytes came from a file and are never captured (a gap). */
  SendFile: 14,
} as const;
export type SourceSyscall = (typeof SourceSyscall)[keyof typeof SourceSyscall];

export const KernelProtocol = {
  Unknown: 0,
  Http1: 1,
  Http2: 2,
  Postgres: 3,
  Mysql: 4,
  Redis: 5,
  Dns: 6,
  Kafka: 7,
  Amqp: 8,
  Nats: 9,
  Mongo: 10,
  Mqtt: 11,
} as const;
export type KernelProtocol = (typeof KernelProtocol)[keyof typeof KernelProtocol];

/** (tgid, fd, generation): a reused fd is a new connection. */
export interface ConnId {
  tgid: number;
  fd: number;
  generation: number;
}

interface EventBase {
  /** CLOCK_MONOTONIC nanoseconds (bpf_ktime_get_ns). */
  timestampNs: bigint;
  conn: ConnId;
  /** Thread that made the syscall. */
  pid: number;
}

export interface ConnOpenEvent extends EventBase {
  kind: "open";
  family: "ipv4" | "ipv6";
  localAddr: string;
  localPort: number;
  remoteAddr: string;
  remotePort: number;
  role: Role;
  source: SourceSyscall;
  comm: string;
  /**
   * The decoder always sets it. Optional only so events built by hand (tests
   * written before UDP was traced) stay valid; read a missing one as "tcp".
   * For UDP, remote* is the connected peer, or on an unconnected socket the
   * peer of its first datagram (later datagrams may come from others).
   */
  transport?: "tcp" | "udp";
}

export interface ConnCloseEvent extends EventBase {
  kind: "close";
  bytesSent: bigint;
  bytesReceived: bigint;
}

export interface DataEvent extends EventBase {
  kind: "data";
  direction: Direction;
  source: SourceSyscall;
  protocol: KernelProtocol;
  role: Role;
  /** Offset of data[0] within this direction's stream. */
  streamOffset: bigint;
  /** Bytes the syscall moved; data.length may be less (capture cap). */
  syscallLen: number;
  /** Captured bytes: a view into the batch buffer, copy before keeping. */
  data: Buffer;
  /**
   * User space disabled this connection's payload copies (disableConnection):
   * sizes only from then on. Optional so hand-built events stay valid.
   */
  payloadDisabled?: boolean;
}

export type KernelEvent = ConnOpenEvent | ConnCloseEvent | DataEvent;

/** Kernel-side drop counters, summed over CPUs. */
export interface KernelDropCounters {
  ringbufFull: bigint;
  connMapFull: bigint;
  readFailed: bigint;
  /** Not a loss: new connections sampling did not keep. */
  sampledOut: bigint;
  /** Data events sent without payload because user space disabled their connection. */
  disabledPayload: bigint;
  /** sendmmsg/recvmmsg messages past the kernel's per-call bound, not reported. */
  mmsgTruncated: bigint;
}

export const ZERO_KERNEL_DROPS: KernelDropCounters = {
  ringbufFull: 0n,
  connMapFull: 0n,
  readFailed: 0n,
  sampledOut: 0n,
  disabledPayload: 0n,
  mmsgTruncated: 0n,
};
