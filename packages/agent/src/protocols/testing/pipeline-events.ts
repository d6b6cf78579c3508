// Test support: a Pipeline over fake process names and listeners, and the
// kernel events of one end of a connection with stream offsets kept as the
// kernel keeps them — for tests that drive the pipeline with hand-made traffic.
import {
  type ConnCloseEvent,
  type ConnId,
  type ConnOpenEvent,
  type DataEvent,
  Direction,
  KernelProtocol,
  Role,
  SourceSyscall,
} from "../../capture/events.js";
import { ListeningSockets } from "../../metadata/listening-sockets.js";
import { LocalAddresses } from "../../metadata/local-addresses.js";
import { ProcessNames } from "../../metadata/process-names.js";
import { Pipeline, type PipelineOptions } from "../../pipeline.js";
import type { RequestRecord } from "../../records/request-record.js";

export const CLIENT_PID = 4100;
export const SERVER_PID = 4200;
const names = new Map([
  [CLIENT_PID, "frontend"],
  [SERVER_PID, "catalog"],
]);

export function makePipeline(
  listenerOwners: Array<{ ip: string; port: number; pid: number }> = [],
  options: Partial<PipelineOptions> = {},
) {
  const records: RequestRecord[] = [];
  const pipeline = new Pipeline({
    tracker: { maxConnections: 100, maxStreamBytes: 64 * 1024, idleTimeoutNs: 1_000_000_000n },
    processNames: new ProcessNames(100, (pid) => names.get(pid)),
    listeners: new ListeningSockets({
      minRefreshIntervalMs: 0,
      maxListeners: 10,
      readSockets: () =>
        listenerOwners.map((owner, index) => ({
          local: { ip: owner.ip, port: owner.port },
          remote: { ip: "0.0.0.0", port: 0 },
          state: 0x0a,
          inode: String(1000 + index),
        })),
      findOwners: () => new Map(listenerOwners.map((owner, index) => [String(1000 + index), owner.pid])),
    }),
    localAddresses: new LocalAddresses(60_000, () => ["10.0.0.5"]),
    onRecord: (record) => records.push(record),
    ...options,
  });
  return { pipeline, records };
}

/** Builds the events of one side of a connection, tracking stream offsets like the kernel does. */
export function side(conn: ConnId, role: Role, protocol: KernelProtocol = KernelProtocol.Http1) {
  const offsets = { [Direction.Egress]: 0n, [Direction.Ingress]: 0n };
  let clock = 1_000n;
  return {
    open(local: [string, number], remote: [string, number]): ConnOpenEvent {
      return {
        kind: "open",
        timestampNs: clock,
        conn,
        pid: conn.tgid,
        family: "ipv4",
        localAddr: local[0],
        localPort: local[1],
        remoteAddr: remote[0],
        remotePort: remote[1],
        role,
        source: role === Role.Client ? SourceSyscall.Connect : SourceSyscall.Accept,
        comm: "from-event",
      };
    },
    data(
      direction: Direction,
      text: string,
      options: { at?: bigint; moved?: number; role?: Role } = {},
    ): DataEvent {
      const data = Buffer.from(text, "latin1");
      const syscallLen = options.moved ?? data.length;
      clock = options.at ?? clock + 10n;
      const event: DataEvent = {
        kind: "data",
        timestampNs: clock,
        conn,
        pid: conn.tgid,
        direction,
        source: direction === Direction.Egress ? SourceSyscall.Write : SourceSyscall.Read,
        protocol,
        role: options.role ?? role,
        streamOffset: offsets[direction],
        syscallLen,
        data,
      };
      offsets[direction] += BigInt(syscallLen);
      return event;
    },
    close(): ConnCloseEvent {
      return {
        kind: "close",
        timestampNs: clock + 1n,
        conn,
        pid: conn.tgid,
        bytesSent: 0n,
        bytesReceived: 0n,
      };
    },
  };
}
