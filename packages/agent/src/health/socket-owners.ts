// Owners of connections the kernel side adopted without a process (they
// predate the agent, and a segment in softirq context adopted them): found
// once per connection through /proc/net/tcp{,6} (endpoints -> socket inode)
// and a bounded walk of /proc/<pid>/fd (inode -> pid). Only the agent's own
// network namespace is visible this way; other namespaces' stay pid 0.
import { readFileSync } from "node:fs";
import { readProcTcpSockets } from "../metadata/proc-net-tcp.js";
import { findSocketOwners } from "../metadata/socket-inodes.js";
import type { TcpConnSnapshot } from "./snapshot.js";

export interface SocketOwner {
  pid: number;
  comm: string;
}

const endpointsKey = (localIp: string, localPort: number, remoteIp: string, remotePort: number) =>
  `${localIp}:${localPort}>${remoteIp}:${remotePort}`;

function commOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
}

export class SocketOwnerResolver {
  /** Per connection (sockId:openedNs): its owner, or null once looked for in vain. */
  private readonly owners = new Map<string, SocketOwner | null>();

  constructor(private readonly maxEntries = 16_384) {}

  /** The owners of these process-less snapshots, looking up only connections never tried before. */
  resolve(snapshots: readonly TcpConnSnapshot[]): Map<string, SocketOwner> {
    const untried = snapshots.filter((s) => s.tgid === 0 && !this.owners.has(connectionKey(s)));
    if (untried.length > 0) this.lookUp(untried);
    const found = new Map<string, SocketOwner>();
    for (const snapshot of snapshots) {
      const owner = this.owners.get(connectionKey(snapshot));
      if (owner) found.set(connectionKey(snapshot), owner);
    }
    return found;
  }

  private lookUp(snapshots: readonly TcpConnSnapshot[]): void {
    const inodeByEndpoints = new Map<string, string>();
    for (const socket of readProcTcpSockets()) {
      inodeByEndpoints.set(
        endpointsKey(socket.local.ip, socket.local.port, socket.remote.ip, socket.remote.port),
        socket.inode,
      );
    }
    const inodes = new Map<string, string>();
    for (const s of snapshots) {
      const inode = inodeByEndpoints.get(endpointsKey(s.localIp, s.localPort, s.remoteIp, s.remotePort));
      if (inode !== undefined && inode !== "0") inodes.set(connectionKey(s), inode);
    }
    const pids = findSocketOwners(new Set(inodes.values()));
    for (const s of snapshots) {
      const inode = inodes.get(connectionKey(s));
      const pid = inode === undefined ? undefined : pids.get(inode);
      this.remember(connectionKey(s), pid === undefined ? null : { pid, comm: commOf(pid) });
    }
  }

  private remember(key: string, owner: SocketOwner | null): void {
    // Oldest first out: a Map iterates in insertion order.
    if (this.owners.size >= this.maxEntries) {
      const oldest = this.owners.keys().next().value;
      if (oldest !== undefined) this.owners.delete(oldest);
    }
    this.owners.set(key, owner);
  }
}

export function connectionKey(snapshot: TcpConnSnapshot): string {
  return `${snapshot.sockId}:${snapshot.openedNs}`;
}
