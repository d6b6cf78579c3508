// The collector's own bound on peers per service (issue #15), behind the
// agents' (agent metrics/series-aggregator.ts, PERISCOPE_PEER_CAP): an agent
// bounds what it sends, but a service runs on many nodes, agents from before
// the cap send every address, and an agent can be wrong. Across every agent,
// each local service (the end that observed the series) keeps at most
// MAX_PEERS_PER_SERVICE distinct far ends; a series for a further peer is
// stored as the service's "{overflow}" peer and counted (seriesPeersFolded in
// /api/v1/stats). Like the agent's cap it is sticky: a peer keeps its slot
// while its series keep coming and gives it up after PEER_IDLE_MINUTES of data
// time without, so the map over any range stays bounded too.
//
// Keys are the row's identity columns, not the names the views derive from
// them (query/service-naming.ts): two identities never share a name unless
// they are the same, so the cap on identities bounds the names.
import type { MetricSeriesRow } from "./metric-series-row.js";

export const MAX_PEERS_PER_SERVICE = 1_000;
/** Local services remembered at most; the least recently admitted is forgotten first. */
const MAX_SERVICES = 20_000;
const PEER_IDLE_MINUTES = 10;
export const OVERFLOW_PEER = "{overflow}";

const NANOS_PER_MINUTE = 60_000_000_000n;

export class SeriesPeerBound {
  /** Per local service: each admitted peer and the last minute (data time) it was seen. */
  private readonly services = new Map<string, Map<string, number>>();
  private newestMinute = 0;

  constructor(private readonly maxPeers = MAX_PEERS_PER_SERVICE) {}

  /** The row as stored: unchanged, or with its far end replaced by the service's "{overflow}" peer. */
  apply(row: MetricSeriesRow): MetricSeriesRow {
    // Endpoint series observed by a server have no far end.
    if (row.kind === "endpoint" && row.side === "server") return row;
    const minute = Number(BigInt(row.start_time) / NANOS_PER_MINUTE);
    if (minute > this.newestMinute) this.expire(minute);
    const server = row.side === "server";
    const local = server
      ? `s|${row.server_service}|${row.server_process}|${row.server_workload}|${row.server_namespace}|${row.server_port}`
      : `c|${row.client_service}|${row.client_process}|${row.client_workload}|${row.client_namespace}`;
    const peer = server
      ? `${row.client_ip}|${row.client_service}|${row.client_process}|${row.client_workload}|${row.client_namespace}|${row.client_host}`
      : `${row.server_ip}|${row.server_port}|${row.server_service}|${row.server_process}|${row.server_workload}|${row.server_namespace}|${row.server_host}`;
    // Already folded by an agent: no slot.
    if (peer.endsWith(`|${OVERFLOW_PEER}`)) return row;
    if (this.admit(local, peer, minute)) return row;
    return server
      ? {
          ...row,
          client_ip: "",
          client_port: 0,
          client_service: "",
          client_process: "",
          client_workload: "",
          client_namespace: "",
          client_host: OVERFLOW_PEER,
        }
      : {
          ...row,
          server_ip: "",
          server_port: 0,
          server_service: "",
          server_process: "",
          server_workload: "",
          server_namespace: "",
          server_host: OVERFLOW_PEER,
        };
  }

  private admit(local: string, peer: string, minute: number): boolean {
    let peers = this.services.get(local);
    if (peers === undefined) {
      peers = new Map();
      this.services.set(local, peers);
      if (this.services.size > MAX_SERVICES) {
        const oldest = this.services.keys().next().value;
        if (oldest !== undefined) this.services.delete(oldest);
      }
    }
    const seen = peers.get(peer);
    if (seen !== undefined || peers.size < this.maxPeers) {
      peers.set(peer, Math.max(seen ?? 0, minute));
      return true;
    }
    return false;
  }

  /** Data time moved on: peers idle for PEER_IDLE_MINUTES give their slots up. */
  private expire(minute: number): void {
    this.newestMinute = minute;
    const oldest = minute - PEER_IDLE_MINUTES;
    for (const [local, peers] of this.services) {
      for (const [peer, seen] of peers) if (seen < oldest) peers.delete(peer);
      if (peers.size === 0) this.services.delete(local);
    }
  }
}
