import {
  type ConnCloseEvent,
  type ConnId,
  type ConnOpenEvent,
  type DataEvent,
  Role,
} from "../capture/events.js";
import type { FirstBytesKind } from "../protocols/protocol-definition.js";
import { Connection, connectionKey, type SocketEndpoint } from "./connection.js";
import { normalizeIp } from "./ip-address.js";
import { inferRoleFromFirstBytes } from "./role-inference.js";

export interface ConnectionTrackerOptions {
  /** Connections held at most; the least recently active one goes when full. */
  maxConnections: number;
  /** Bytes buffered per direction while a parser waits for the rest of a frame. */
  maxStreamBytes: number;
  /** A connection silent this long is forgotten (its close event may have been dropped). */
  idleTimeoutNs: bigint;
  /** What a stream's first bytes are (a request or a response), when some protocol can tell. */
  classifyFirstBytes?: (bytes: Buffer) => FirstBytesKind;
  /** Endpoints of a socket seen without its open event, when the host can tell (/proc). */
  lookupEndpoints?: (
    pid: number,
    fd: number,
  ) => { local: SocketEndpoint; remote: SocketEndpoint } | undefined;
}

export interface ConnectionTrackerCounters {
  /** Connections first seen through data, without an open event. */
  openedWithoutEvent: number;
  /** Connections forgotten because the table was full. */
  evictedForSpace: number;
  evictedIdle: number;
  closed: number;
}

const endpointKey = (endpoint: SocketEndpoint) => `${endpoint.ip}|${endpoint.port}`;

/**
 * Every live traced connection, keyed by (tgid, fd, generation). Also indexes
 * connections by local endpoint, so the far end of a loopback connection can be
 * found among our own connections.
 */
export class ConnectionTracker {
  private readonly connections = new Map<string, Connection>();
  private readonly byLocalEndpoint = new Map<string, Set<Connection>>();
  private readonly perProcess = new Map<number, number>();
  readonly counters: ConnectionTrackerCounters = {
    openedWithoutEvent: 0,
    evictedForSpace: 0,
    evictedIdle: 0,
    closed: 0,
  };

  constructor(
    private readonly options: ConnectionTrackerOptions,
    /** Told about every connection that leaves the table, for any reason. */
    private readonly onRemoved: (connection: Connection) => void = () => {},
  ) {}

  get size(): number {
    return this.connections.size;
  }

  get(id: ConnId): Connection | undefined {
    return this.connections.get(connectionKey(id));
  }

  open(event: ConnOpenEvent): Connection {
    const existing = this.connections.get(connectionKey(event.conn));
    if (existing !== undefined) this.remove(existing);
    const connection = this.add(event.conn, event.timestampNs);
    connection.role = event.role;
    connection.processName = event.comm;
    connection.egress.watchFromStart();
    connection.ingress.watchFromStart();
    this.setEndpoints(
      connection,
      { ip: event.localAddr, port: event.localPort },
      { ip: event.remoteAddr, port: event.remotePort },
    );
    return connection;
  }

  /** The connection a data event belongs to, created if its open event was never seen. */
  data(event: DataEvent): Connection {
    let connection = this.connections.get(connectionKey(event.conn));
    if (connection === undefined) {
      connection = this.add(event.conn, event.timestampNs);
      this.counters.openedWithoutEvent++;
      const endpoints = this.options.lookupEndpoints?.(event.conn.tgid, event.conn.fd);
      if (endpoints !== undefined) this.setEndpoints(connection, endpoints.local, endpoints.remote);
    }
    connection.lastActivityNs = event.timestampNs;
    if (connection.role === Role.Unknown) {
      connection.role =
        event.role !== Role.Unknown
          ? event.role
          : inferRoleFromFirstBytes(event.direction, this.options.classifyFirstBytes?.(event.data));
    }
    return connection;
  }

  close(event: ConnCloseEvent): Connection | undefined {
    const connection = this.connections.get(connectionKey(event.conn));
    if (connection === undefined) return undefined;
    this.counters.closed++;
    this.remove(connection);
    return connection;
  }

  /** Forgets connections idle since before `nowNs - idleTimeoutNs`; returns them. */
  evictIdle(nowNs: bigint): Connection[] {
    const evicted: Connection[] = [];
    for (const connection of this.connections.values()) {
      if (nowNs - connection.lastActivityNs >= this.options.idleTimeoutNs) evicted.push(connection);
    }
    for (const connection of evicted) this.remove(connection);
    this.counters.evictedIdle += evicted.length;
    return evicted;
  }

  /** Our connections whose local endpoint is `endpoint`: the other ends of loopback peers. */
  findByLocalEndpoint(endpoint: SocketEndpoint): Connection[] {
    return [...(this.byLocalEndpoint.get(endpointKey(endpoint)) ?? [])];
  }

  /** Live connections owned by process `pid`. */
  connectionCount(pid: number): number {
    return this.perProcess.get(pid) ?? 0;
  }

  all(): IterableIterator<Connection> {
    return this.connections.values();
  }

  private add(id: ConnId, nowNs: bigint): Connection {
    if (this.connections.size >= this.options.maxConnections) this.evictLeastRecentlyActive();
    const connection = new Connection(id, nowNs, this.options.maxStreamBytes);
    this.connections.set(connection.key, connection);
    this.perProcess.set(connection.pid, this.connectionCount(connection.pid) + 1);
    return connection;
  }

  private setEndpoints(connection: Connection, local: SocketEndpoint, remote: SocketEndpoint): void {
    connection.local = { ip: normalizeIp(local.ip), port: local.port };
    connection.remote = { ip: normalizeIp(remote.ip), port: remote.port };
    const key = endpointKey(connection.local);
    const peers = this.byLocalEndpoint.get(key) ?? new Set<Connection>();
    peers.add(connection);
    this.byLocalEndpoint.set(key, peers);
  }

  private remove(connection: Connection): void {
    if (!this.connections.delete(connection.key)) return;
    if (connection.local !== undefined) {
      const key = endpointKey(connection.local);
      const peers = this.byLocalEndpoint.get(key);
      peers?.delete(connection);
      if (peers?.size === 0) this.byLocalEndpoint.delete(key);
    }
    const remaining = this.connectionCount(connection.pid) - 1;
    if (remaining > 0) this.perProcess.set(connection.pid, remaining);
    else this.perProcess.delete(connection.pid);
    this.onRemoved(connection);
  }

  private evictLeastRecentlyActive(): void {
    let oldest: Connection | undefined;
    for (const connection of this.connections.values()) {
      if (oldest === undefined || connection.lastActivityNs < oldest.lastActivityNs) oldest = connection;
    }
    if (oldest === undefined) return;
    this.counters.evictedForSpace++;
    this.remove(oldest);
  }
}
