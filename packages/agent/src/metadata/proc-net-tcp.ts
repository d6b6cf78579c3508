import { readFileSync } from "node:fs";
import { endianness } from "node:os";
import type { SocketEndpoint } from "../connections/connection.js";
import { formatIpv6 } from "../connections/ip-address.js";

/** TCP states as /proc/net/tcp prints them (include/net/tcp_states.h). */
export const TcpState = { Established: 0x01, Listen: 0x0a } as const;

export interface ProcTcpSocket {
  local: SocketEndpoint;
  remote: SocketEndpoint;
  state: number;
  inode: string;
}

/**
 * Parses /proc/net/tcp or /proc/net/tcp6 (Documentation/networking/proc_net_tcp.rst).
 * Addresses are hex dumps of the kernel's 32-bit words in host byte order; lines
 * that do not parse are skipped, never thrown on.
 */
export function parseProcNetTcp(text: string): ProcTcpSocket[] {
  const sockets: ProcTcpSocket[] = [];
  for (const line of text.split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10) continue;
    const local = parseHexEndpoint(fields[1] ?? "");
    const remote = parseHexEndpoint(fields[2] ?? "");
    const state = Number.parseInt(fields[3] ?? "", 16);
    const inode = fields[9] ?? "";
    if (local === undefined || remote === undefined || Number.isNaN(state) || !/^\d+$/.test(inode)) continue;
    sockets.push({ local, remote, state, inode });
  }
  return sockets;
}

/** Both families of one network namespace: the host's, or `/proc/<pid>/net` for a process's. */
export function readProcTcpSockets(netDirectory = "/proc/net"): ProcTcpSocket[] {
  const sockets: ProcTcpSocket[] = [];
  for (const file of ["tcp", "tcp6"]) {
    try {
      sockets.push(...parseProcNetTcp(readFileSync(`${netDirectory}/${file}`, "latin1")));
    } catch {
      // tcp6 is absent when IPv6 is disabled; a process may exit while we read.
    }
  }
  return sockets;
}

function parseHexEndpoint(field: string): SocketEndpoint | undefined {
  const [hexAddress = "", hexPort = ""] = field.split(":");
  const port = Number.parseInt(hexPort, 16);
  if (!/^[0-9A-Fa-f]+$/.test(hexAddress) || Number.isNaN(port)) return undefined;
  const bytes = hostWordsToBytes(hexAddress);
  if (bytes === undefined) return undefined;
  const ip = bytes.length === 4 ? bytes.join(".") : formatIpv6(bytes);
  return { ip, port };
}

function hostWordsToBytes(hex: string): Uint8Array | undefined {
  if (hex.length !== 8 && hex.length !== 32) return undefined;
  const bytes = new Uint8Array(hex.length / 2);
  const littleEndian = endianness() === "LE";
  for (let word = 0; word < hex.length / 8; word++) {
    for (let index = 0; index < 4; index++) {
      const byte = Number.parseInt(hex.slice(word * 8 + index * 2, word * 8 + index * 2 + 2), 16);
      bytes[word * 4 + (littleEndian ? 3 - index : index)] = byte;
    }
  }
  return bytes;
}
