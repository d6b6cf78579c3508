import type { SocketEndpoint } from "../connections/connection.js";
import { readProcTcpSockets } from "./proc-net-tcp.js";
import { socketInodeOf } from "./socket-inodes.js";

/**
 * Endpoints of a socket the agent saw only through data (it was opened before
 * the agent started): fd → inode → the row of the process's own network
 * namespace's TCP table that has that inode.
 */
export function lookupSocketEndpoints(
  pid: number,
  fd: number,
): { local: SocketEndpoint; remote: SocketEndpoint } | undefined {
  const inode = socketInodeOf(pid, fd);
  if (inode === undefined) return undefined;
  const socket = readProcTcpSockets(`/proc/${pid}/net`).find((candidate) => candidate.inode === inode);
  return socket === undefined ? undefined : { local: socket.local, remote: socket.remote };
}
