// Decodes the addon's batch read (packed tcp_conn_stats records) into
// cumulative per-connection snapshots.
import { formatIpv4, formatIpv6 } from "../capture/address-format.js";
import { TcpStatsLayout as L, TCP_STATE_NAMES, TcpConnFlag } from "./layout.js";

export interface TcpConnSnapshot {
  /** Kernel socket address; unique among live sockets only. */
  sockId: bigint;
  /** With sockId, identifies one connection (a socket address is reused). */
  openedNs: bigint;
  connectNs: bigint;
  bytesAcked: bigint;
  bytesReceived: bigint;
  tgid: number;
  comm: string;
  retransmits: number;
  resetsSent: number;
  resetsReceived: number;
  stateChanges: number;
  srttUs: number;
  family: number;
  localIp: string;
  localPort: number;
  remoteIp: string;
  remotePort: number;
  state: string;
  role: number;
  connectFailed: boolean;
  closed: boolean;
}

const AF_INET = 2;

function formatAddress(family: number, bytes: Uint8Array): string {
  return family === AF_INET ? formatIpv4(bytes) : formatIpv6(bytes);
}

export function decodeTcpSnapshots(buffer: Buffer): TcpConnSnapshot[] {
  const out: TcpConnSnapshot[] = [];
  for (let base = 0; base + L.size <= buffer.length; base += L.size) {
    const family = buffer.readUInt16LE(base + L.family);
    const flags = buffer[base + L.flags] ?? 0;
    const state = buffer[base + L.state] ?? 0;
    const commBytes = buffer.subarray(base + L.comm, base + L.comm + L.commBytes);
    const nul = commBytes.indexOf(0);
    out.push({
      sockId: buffer.readBigUInt64LE(base + L.sockId),
      openedNs: buffer.readBigUInt64LE(base + L.openedNs),
      connectNs: buffer.readBigUInt64LE(base + L.connectNs),
      bytesAcked: buffer.readBigUInt64LE(base + L.bytesAcked),
      bytesReceived: buffer.readBigUInt64LE(base + L.bytesReceived),
      tgid: buffer.readUInt32LE(base + L.tgid),
      comm: commBytes.subarray(0, nul < 0 ? commBytes.length : nul).toString("utf8"),
      retransmits: buffer.readUInt32LE(base + L.retransmits),
      resetsSent: buffer.readUInt32LE(base + L.resetsSent),
      resetsReceived: buffer.readUInt32LE(base + L.resetsReceived),
      stateChanges: buffer.readUInt32LE(base + L.stateChanges),
      srttUs: buffer.readUInt32LE(base + L.srttUs),
      family,
      localIp: formatAddress(family, buffer.subarray(base + L.localAddr, base + L.localAddr + L.addrBytes)),
      localPort: buffer.readUInt16LE(base + L.localPort),
      remoteIp: formatAddress(
        family,
        buffer.subarray(base + L.remoteAddr, base + L.remoteAddr + L.addrBytes),
      ),
      remotePort: buffer.readUInt16LE(base + L.remotePort),
      state: TCP_STATE_NAMES[state] ?? `STATE_${state}`,
      role: buffer[base + L.role] ?? 0,
      connectFailed: (flags & TcpConnFlag.ConnectFailed) !== 0,
      closed: (flags & TcpConnFlag.Closed) !== 0,
    });
  }
  return out;
}
