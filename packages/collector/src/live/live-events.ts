// What live subscribers receive, built from rows exactly as ingest stored them.
import type { RequestRow } from "../ingest/request-row.js";
import { type RequestView, requestViewAt } from "../query/request-view.js";

export const LIVE_TOPICS = ["requests", "map"] as const;
export type LiveTopic = (typeof LIVE_TOPICS)[number];

/** A stored request exactly as search shows it, id included. */
export type LiveRequest = RequestView;

export interface LiveRequestsEvent {
  requests: LiveRequest[];
  /** New requests left out of this event because there were more than one event carries. */
  omitted: number;
}

export interface LiveMapEdgeDelta {
  id: string;
  source: string;
  target: string;
  protocols: string[];
  requests: number;
  errors: number;
}

/** Edges that carried new requests since the last event; GET /api/v1/map has the totals. */
export interface LiveMapEvent {
  edges: LiveMapEdgeDelta[];
}

export function toLiveRequest(row: RequestRow): LiveRequest {
  return requestViewAt(row.time, row);
}

// The naming rule of query/service-naming.ts (CLIENT_NAME_SQL, SERVER_NAME_SQL)
// in TypeScript, so a live edge id is the id GET /api/v1/map gives the same edge.
export function clientName(row: RequestRow): string {
  return row.client_service || row.client_workload || row.client_process || row.client_ip;
}

export function serverName(row: RequestRow): string {
  if (row.server_service) return row.server_service;
  if (row.server_workload) return row.server_workload;
  if (row.server_process) return `${row.server_process}:${row.server_port}`;
  if (row.server_host) return row.server_host;
  const ip = row.server_ip.includes(":") ? `[${row.server_ip}]` : row.server_ip;
  return `${ip}:${row.server_port}`;
}

/**
 * Adds rows to per-edge deltas; like the map, a call is counted from its client
 * side when that was seen. Each record counts its sampling weight (the requests
 * it stands for), so deltas are estimates while agents sample; the map's own
 * figures come from the metric series.
 */
export class MapDeltaAccumulator {
  private readonly edges = new Map<
    string,
    LiveMapEdgeDelta & { protocolSet: Set<string>; clientSide: boolean }
  >();

  constructor(private readonly maxEdges: number) {}

  add(rows: readonly RequestRow[]): void {
    for (const row of rows) {
      const source = clientName(row);
      const target = serverName(row);
      const id = `${source}->${target}`;
      let edge = this.edges.get(id);
      if (edge === undefined) {
        if (this.edges.size >= this.maxEdges) continue;
        edge = {
          id,
          source,
          target,
          protocols: [],
          protocolSet: new Set(),
          requests: 0,
          errors: 0,
          clientSide: false,
        };
        this.edges.set(id, edge);
      }
      // Once an edge has client-side rows, server-side ones are the same calls seen again.
      if (row.side === "client" && !edge.clientSide) {
        edge.clientSide = true;
        edge.requests = 0;
        edge.errors = 0;
      }
      if (row.side === "server" && edge.clientSide) continue;
      edge.protocolSet.add(row.protocol);
      const weight = row.sample_weight ?? 1;
      edge.requests += weight;
      if (row.error) edge.errors += weight;
    }
  }

  take(): LiveMapEvent | undefined {
    if (this.edges.size === 0) return undefined;
    const edges = [...this.edges.values()].map(({ protocolSet, clientSide: _, ...edge }) => ({
      ...edge,
      requests: Math.round(edge.requests),
      errors: Math.round(edge.errors),
      protocols: [...protocolSet].sort(),
    }));
    this.edges.clear();
    return { edges: edges.sort((a, b) => a.id.localeCompare(b.id)) };
  }
}
