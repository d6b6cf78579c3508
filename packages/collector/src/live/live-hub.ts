// Fans stored batches out to live subscribers. Batches arriving within one
// flush interval are coalesced into one event per topic, so a busy fleet
// costs subscribers a few events a second, not one per batch; events leave
// within FLUSH_INTERVAL_MS of the insert, well inside the 2 s the UI promises.
import type { ServerResponse } from "node:http";
import type { RequestRow } from "../ingest/request-row.js";
import { type LiveRequest, type LiveTopic, MapDeltaAccumulator, toLiveRequest } from "./live-events.js";
import { SseClient } from "./sse-client.js";

export interface LiveHubOptions {
  flushIntervalMs?: number;
  heartbeatIntervalMs?: number;
  maxClients?: number;
  /** Events a client may have waiting before it counts as slow and is dropped. */
  maxQueuedEvents?: number;
  /** Requests per event; beyond it the newest are kept and the rest counted as omitted. */
  maxRequestsPerEvent?: number;
  maxEdgesPerEvent?: number;
}

export interface LiveCounters {
  clientsConnected: number;
  clientsDroppedSlow: number;
  clientsRefusedFull: number;
  eventsSent: number;
  requestsOmitted: number;
}

export class LiveHub {
  private readonly clients = new Set<SseClient>();
  private pendingRequests: LiveRequest[] = [];
  private pendingOmitted = 0;
  private readonly pendingMap: MapDeltaAccumulator;
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly settings: Required<LiveHubOptions>;
  readonly counters: Omit<LiveCounters, "clientsConnected"> = {
    clientsDroppedSlow: 0,
    clientsRefusedFull: 0,
    eventsSent: 0,
    requestsOmitted: 0,
  };

  constructor(options: LiveHubOptions = {}) {
    this.settings = {
      flushIntervalMs: 250,
      heartbeatIntervalMs: 15_000,
      maxClients: 100,
      maxQueuedEvents: 64,
      maxRequestsPerEvent: 500,
      maxEdgesPerEvent: 2000,
      ...options,
    };
    this.pendingMap = new MapDeltaAccumulator(this.settings.maxEdgesPerEvent);
    this.heartbeat = setInterval(() => {
      for (const client of this.clients) client.ping();
    }, this.settings.heartbeatIntervalMs);
    this.heartbeat.unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** The ingest stored-batch listener: cheap, synchronous, never throws into ingest. */
  readonly publish = (stored: () => readonly RequestRow[]): void => {
    if (this.clients.size === 0) return;
    const rows = stored();
    if (rows.length === 0) return;
    if (this.wants("requests")) {
      const room = this.settings.maxRequestsPerEvent - this.pendingRequests.length;
      // Rows beyond the bound are counted, not converted: the newest wins the room.
      const kept = rows.slice(Math.max(0, rows.length - Math.max(room, 0)));
      this.pendingOmitted += rows.length - kept.length;
      this.pendingRequests.push(...kept.map(toLiveRequest));
    }
    if (this.wants("map")) this.pendingMap.add(rows);
    this.flushTimer ??= setTimeout(() => this.flush(), this.settings.flushIntervalMs);
  };

  /** Undefined when the hub is full (the route answers 503). */
  subscribe(topics: ReadonlySet<LiveTopic>, response: ServerResponse): SseClient | undefined {
    if (this.clients.size >= this.settings.maxClients) {
      this.counters.clientsRefusedFull += 1;
      return undefined;
    }
    const client = new SseClient(topics, response, this.settings.maxQueuedEvents, (slow) => {
      this.counters.clientsDroppedSlow += 1;
      this.clients.delete(slow);
    });
    this.clients.add(client);
    response.on("close", () => this.clients.delete(client));
    return client;
  }

  close(): void {
    clearInterval(this.heartbeat);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    for (const client of this.clients) client.close();
    this.clients.clear();
  }

  private wants(topic: LiveTopic): boolean {
    for (const client of this.clients) if (client.topics.has(topic)) return true;
    return false;
  }

  private flush(): void {
    this.flushTimer = undefined;
    const requests = this.pendingRequests;
    const omitted = this.pendingOmitted;
    this.pendingRequests = [];
    this.pendingOmitted = 0;
    this.counters.requestsOmitted += omitted;
    const map = this.pendingMap.take();
    // Newest first, as search lists them.
    requests.sort((a, b) => {
      const [left, right] = [BigInt(a.timeUnixNano), BigInt(b.timeUnixNano)];
      return left === right ? 0 : left > right ? -1 : 1;
    });
    for (const client of this.clients) {
      if (requests.length > 0 && client.topics.has("requests")) {
        client.send("requests", { requests, omitted });
        this.counters.eventsSent += 1;
      }
      if (map !== undefined && client.topics.has("map")) {
        client.send("map", map);
        this.counters.eventsSent += 1;
      }
    }
  }
}
