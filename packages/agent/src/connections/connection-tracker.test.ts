import { describe, expect, it } from "vitest";
import {
  type ConnOpenEvent,
  type DataEvent,
  Direction,
  KernelProtocol,
  Role,
  SourceSyscall,
} from "../capture/events.js";
import { http1Definition } from "../protocols/http1/http1-definition.js";
import { ConnectionTracker } from "./connection-tracker.js";

function open(
  fd: number,
  generation: number,
  local: [string, number],
  remote: [string, number],
): ConnOpenEvent {
  return {
    kind: "open",
    timestampNs: 1n,
    conn: { tgid: 10, fd, generation },
    pid: 10,
    family: local[0].includes(":") ? "ipv6" : "ipv4",
    localAddr: local[0],
    localPort: local[1],
    remoteAddr: remote[0],
    remotePort: remote[1],
    role: Role.Client,
    source: SourceSyscall.Connect,
    comm: "curl",
  };
}

function data(fd: number, direction: Direction, text: string, timestampNs = 5n): DataEvent {
  const bytes = Buffer.from(text);
  return {
    kind: "data",
    timestampNs,
    conn: { tgid: 20, fd, generation: 1 },
    pid: 20,
    direction,
    source: SourceSyscall.Read,
    protocol: KernelProtocol.Unknown,
    role: Role.Unknown,
    streamOffset: 0n,
    syscallLen: bytes.length,
    data: bytes,
  };
}

const options = {
  maxConnections: 2,
  maxStreamBytes: 1024,
  idleTimeoutNs: 100n,
  classifyFirstBytes: http1Definition.classifyFirstBytes,
};

describe("ConnectionTracker", () => {
  it("indexes connections by local endpoint, spelling IPv4-mapped addresses as IPv4", () => {
    const tracker = new ConnectionTracker(options);
    const connection = tracker.open(open(3, 1, ["::ffff:127.0.0.1", 40000], ["::ffff:127.0.0.1", 80]));
    expect(connection.remote).toEqual({ ip: "127.0.0.1", port: 80 });
    expect(tracker.findByLocalEndpoint({ ip: "127.0.0.1", port: 40000 })).toEqual([connection]);
  });

  it("creates a connection from data when no open event was seen, inferring its role from the bytes", () => {
    const tracker = new ConnectionTracker({
      ...options,
      lookupEndpoints: () => ({
        local: { ip: "10.0.0.1", port: 8080 },
        remote: { ip: "10.0.0.2", port: 50000 },
      }),
    });
    const server = tracker.data(data(4, Direction.Ingress, "POST /x HTTP/1.1\r\n"));
    const client = tracker.data(data(5, Direction.Ingress, "HTTP/1.1 200 OK\r\n"));
    expect([server.role, client.role]).toEqual([Role.Server, Role.Client]);
    expect(server.local).toEqual({ ip: "10.0.0.1", port: 8080 });
    expect(tracker.counters.openedWithoutEvent).toBe(2);
  });

  it("evicts the least recently active connection when full, and idle ones on demand", () => {
    const removed: number[] = [];
    const tracker = new ConnectionTracker(options, (connection) => removed.push(connection.id.fd));
    tracker.data(data(1, Direction.Egress, "x", 10n));
    tracker.data(data(2, Direction.Egress, "x", 20n));
    tracker.data(data(1, Direction.Egress, "x", 30n));
    tracker.data(data(3, Direction.Egress, "x", 40n));
    expect(removed).toEqual([2]);
    expect(tracker.counters.evictedForSpace).toBe(1);
    tracker.evictIdle(135n);
    expect(removed).toEqual([2, 1]);
    expect(tracker.size).toBe(1);
  });

  it("replaces a connection when an open event reuses its exact id", () => {
    const removed: string[] = [];
    const tracker = new ConnectionTracker(options, (connection) => removed.push(connection.remote?.ip ?? ""));
    tracker.open(open(3, 1, ["127.0.0.1", 40000], ["127.0.0.1", 80]));
    tracker.open(open(3, 1, ["127.0.0.1", 40001], ["127.0.0.2", 80]));
    expect(removed).toEqual(["127.0.0.1"]);
    expect(tracker.connectionCount(10)).toBe(1);
  });
});
