import { type ConnId, Direction, Role } from "../capture/events.js";
import { StreamBuffer } from "./stream-buffer.js";

export interface SocketEndpoint {
  ip: string;
  port: number;
}

export function connectionKey(id: ConnId): string {
  return `${id.tgid}:${id.fd}:${id.generation}`;
}

/** One traced socket of one process, as the agent knows it. */
export class Connection {
  readonly key: string;
  /** Undefined until an open event or /proc tells us. */
  local: SocketEndpoint | undefined;
  remote: SocketEndpoint | undefined;
  role: Role = Role.Unknown;
  /** Process (thread group) that owns the socket. */
  readonly pid: number;
  processName = "";
  readonly egress: StreamBuffer;
  readonly ingress: StreamBuffer;
  lastActivityNs: bigint;
  /** Whatever the protocol layer attaches (a parser runner); opaque here. */
  protocolState: unknown;

  constructor(
    readonly id: ConnId,
    firstSeenNs: bigint,
    maxStreamBytes: number,
  ) {
    this.key = connectionKey(id);
    this.pid = id.tgid;
    this.lastActivityNs = firstSeenNs;
    this.egress = new StreamBuffer(maxStreamBytes);
    this.ingress = new StreamBuffer(maxStreamBytes);
  }

  stream(direction: Direction): StreamBuffer {
    return direction === Direction.Egress ? this.egress : this.ingress;
  }

  /** The stream that carries requests: what a client writes, what a server reads. */
  get requestStream(): StreamBuffer | undefined {
    if (this.role === Role.Client) return this.egress;
    if (this.role === Role.Server) return this.ingress;
    return undefined;
  }

  get responseStream(): StreamBuffer | undefined {
    if (this.role === Role.Client) return this.ingress;
    if (this.role === Role.Server) return this.egress;
    return undefined;
  }
}
