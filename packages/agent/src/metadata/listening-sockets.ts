import type { SocketEndpoint } from "../connections/connection.js";
import { type ProcTcpSocket, readProcTcpSockets, TcpState } from "./proc-net-tcp.js";
import { findSocketOwners } from "./socket-inodes.js";

export interface ListeningSocketOptions {
  /** Rebuilt at most this often, even on misses: the /proc walk costs milliseconds. */
  minRefreshIntervalMs: number;
  /** Listeners kept at most. */
  maxListeners: number;
  readSockets?: () => ProcTcpSocket[];
  findOwners?: (inodes: ReadonlySet<string>) => Map<string, number>;
  now?: () => number;
}

interface Listener {
  endpoint: SocketEndpoint;
  pid: number | undefined;
}

const WILDCARDS = new Set(["0.0.0.0", "::"]);

/**
 * Which local process listens on an address, from /proc/net/tcp{,6} LISTEN rows
 * and the owners of their socket inodes. Refreshed on a miss, throttled.
 */
export class ListeningSockets {
  private listeners = new Map<string, Listener>();
  private lastRefreshMs = Number.NEGATIVE_INFINITY;
  private readonly readSockets: () => ProcTcpSocket[];
  private readonly findOwners: (inodes: ReadonlySet<string>) => Map<string, number>;
  private readonly now: () => number;
  refreshes = 0;

  constructor(private readonly options: ListeningSocketOptions) {
    this.readSockets = options.readSockets ?? (() => readProcTcpSockets());
    this.findOwners = options.findOwners ?? findSocketOwners;
    this.now = options.now ?? Date.now;
  }

  /** The pid listening on `endpoint` (exact address or wildcard), if any. */
  ownerOf(endpoint: SocketEndpoint): number | undefined {
    const found = this.lookup(endpoint);
    if (found !== undefined) return found;
    if (this.now() - this.lastRefreshMs < this.options.minRefreshIntervalMs) return undefined;
    this.refresh();
    return this.lookup(endpoint);
  }

  refresh(): void {
    this.lastRefreshMs = this.now();
    this.refreshes++;
    const next = new Map<string, Listener>();
    for (const socket of this.readSockets()) {
      if (socket.state !== TcpState.Listen || next.size >= this.options.maxListeners) continue;
      // A listener's inode stays the same while it lives: keep the owner found before.
      const known = this.listeners.get(socket.inode);
      next.set(socket.inode, { endpoint: socket.local, pid: known?.pid });
    }
    const unowned = new Set(
      [...next].filter(([, listener]) => listener.pid === undefined).map(([inode]) => inode),
    );
    for (const [inode, pid] of this.findOwners(unowned)) {
      const listener = next.get(inode);
      if (listener !== undefined) listener.pid = pid;
    }
    this.listeners = next;
  }

  private lookup(endpoint: SocketEndpoint): number | undefined {
    let wildcardOwner: number | undefined;
    for (const listener of this.listeners.values()) {
      if (listener.endpoint.port !== endpoint.port || listener.pid === undefined) continue;
      if (listener.endpoint.ip === endpoint.ip) return listener.pid;
      if (WILDCARDS.has(listener.endpoint.ip)) wildcardOwner = listener.pid;
    }
    return wildcardOwner;
  }
}
