// Every parsed request, kept as a record or not, folded into per-interval
// metric series: one per edge (client, server, protocol, side, status class)
// and one per endpoint (server, protocol, side, operation, target template,
// status class). The map and RED read these, so they stay exact while the
// record budget thins out the records themselves.
//
// Intervals are aligned to wall-clock multiples of their length, and a request
// belongs to the interval in which the agent folded it (its response was
// parsed), as a Prometheus counter would count it: no interval is held open
// for stragglers, and a request lands at most one kernel batch late.
//
// Runs once per request on the hot path: one string key per series kind,
// built once per record, and no other allocation unless the record opens a
// new series.
//
// Cardinality: each server (one server key: address, process, host) gets at
// most `maxEndpointsPerServer` endpoint series per interval; requests for
// further endpoints fold into that server's "{overflow}" endpoint and are
// counted (DropCounters.endpoint_overflow). The cap is per interval, not
// running: memory is bounded by one interval's series, and an endpoint that
// was crowded out once gets its own series again in the next interval. Past
// `maxSeriesPerInterval` series of all kinds, new keys fold into one catch-all
// series per (kind, protocol, side, status class) with no identity, so totals
// stay exact even then.
//
// Peers (issue #15): each local service (the observing end) keeps at most
// `maxPeersPerService` distinct far ends; the requests of any further peer
// fold into one "{overflow}" peer of that service and are counted
// (DropCounters.peer_overflow). Unlike the endpoint cap this one is sticky: a
// peer keeps its slot while it is seen at all and gives it up after
// `peerIdleMs` without requests, so a flood of new clients cannot push a new
// set of names into every interval (the map over any range would then show
// the cap times the intervals). An unknown peer arrives already named by
// metadata/peer-names.ts (client.host / server.host: a DNS name or the
// address's block); its address stays in the series only when it is internal,
// so the clients of one block or name fold into one series.
//
// Containers (issue #13): an end that is a process on this host carries its
// container id (`containerIdOf`, the same /proc cache records read), and the
// id is part of the series' key: two containers running one process name on
// a node (two pods' "node") are two series, which the collector names by
// container id first, IP second, as it names records. A host-network pod's IP
// is its node's, so without the id its series could only keep the process
// name. Bounded: a node runs few containers, and a process has one. Keys
// hold a short token per container id, not the 64-hex id (five keys per
// request: the full ids cost about 0.9 µs of the fold, about a third).

import { type MetricSeries, SeriesKind } from "@periscope/proto";
import type { RecordEndpoint, RequestRecord } from "../records/request-record.js";
import { SeriesAccumulator } from "./series-accumulator.js";
import { statusClassOf } from "./status-class.js";
import { TargetTemplater } from "./target-template.js";

export const DEFAULT_INTERVAL_MS = 5_000;
export const DEFAULT_MAX_PEERS_PER_SERVICE = 200;
export const DEFAULT_PEER_IDLE_MS = 10 * 60_000;
/** The contract's bound on a series interval (MetricSeries.interval_nano). */
export const MAX_INTERVAL_MS = 10_000;
export const OVERFLOW_TARGET = "{overflow}";
/** The peer a service's requests from peers past its cap are folded into (client_host / server_host). */
export const OVERFLOW_PEER = "{overflow}";
/** An endpoint's p99 is trusted as a slow-request threshold from this many requests in an interval. */
const MIN_REQUESTS_FOR_P99 = 20;
const MAX_OPERATION_LENGTH = 128;
/** Container tokens kept before the table starts over (at an interval's end; tokens are never reused). */
const MAX_CONTAINER_TOKENS = 1_024;

export interface SeriesAggregatorOptions {
  intervalMs?: number;
  maxEndpointsPerServer?: number;
  maxSeriesPerInterval?: number;
  /** Distinct peers each local service keeps before new ones fold into "{overflow}". */
  maxPeersPerService?: number;
  /** A peer without requests for this long gives its slot up. */
  peerIdleMs?: number;
  /** Whether a named peer's address stays in its series (internal addresses); all do when absent. */
  isInternalAddress?: (ip: string) => boolean;
  /** Wall clock, ms since the Unix epoch. */
  now?: () => number;
  /** Container id of a process on this host ("" outside containers or unknown); none when absent. */
  containerIdOf?: (pid: number) => string;
}

export interface SeriesAggregatorCounters {
  /** Requests folded into a server's "{overflow}" endpoint (endpoint cap reached). */
  endpointOverflow: number;
  /** Requests folded into a catch-all series (series cap reached). */
  seriesOverflow: number;
  /** Series emitted by drain(). */
  seriesEmitted: number;
  /** Requests folded into a service's "{overflow}" peer (peer cap reached). */
  peerOverflow: number;
}

const NO_ENDPOINT = { ip: "", port: 0, service: "", pid: 0, processName: "" } as const;

export class SeriesAggregator {
  readonly counters: SeriesAggregatorCounters = {
    endpointOverflow: 0,
    seriesOverflow: 0,
    seriesEmitted: 0,
    peerOverflow: 0,
  };
  readonly intervalMs: number;
  private readonly maxEndpointsPerServer: number;
  private readonly maxSeriesPerInterval: number;
  private readonly maxPeersPerService: number;
  private readonly peerIdleMs: number;
  private readonly isInternalAddress: (ip: string) => boolean;
  /** Per local service: its admitted peers and when each was last seen (ms). */
  private readonly peers = new Map<string, Map<string, number>>();
  private readonly now: () => number;
  private readonly containerIdOf: (pid: number) => string;
  /** Container id → its stand-in in series keys. */
  private containerTokens = new Map<string, string>();
  private nextContainerToken = 0;
  private readonly templater = new TargetTemplater();
  private edges = new Map<string, SeriesAccumulator>();
  private endpoints = new Map<string, SeriesAccumulator>();
  /** Distinct endpoint series per server key in the open interval. */
  private endpointsPerServer = new Map<string, number>();
  private intervalStartMs: number;
  private sealed: MetricSeries[] = [];
  /** p99 duration (ns) per endpoint key, from the last interval that saw enough of it. */
  private slowThresholds = new Map<string, number>();

  constructor(options: SeriesAggregatorOptions = {}) {
    this.intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
    if (!Number.isInteger(this.intervalMs) || this.intervalMs < 1 || this.intervalMs > MAX_INTERVAL_MS) {
      throw new RangeError(
        `intervalMs must be an integer from 1 to ${MAX_INTERVAL_MS}, got ${this.intervalMs}`,
      );
    }
    this.maxEndpointsPerServer = options.maxEndpointsPerServer ?? 500;
    this.maxSeriesPerInterval = options.maxSeriesPerInterval ?? 20_000;
    this.maxPeersPerService = options.maxPeersPerService ?? DEFAULT_MAX_PEERS_PER_SERVICE;
    this.peerIdleMs = options.peerIdleMs ?? DEFAULT_PEER_IDLE_MS;
    this.isInternalAddress = options.isInternalAddress ?? (() => true);
    this.now = options.now ?? Date.now;
    this.containerIdOf = options.containerIdOf ?? (() => "");
    this.intervalStartMs = this.alignedStart(this.now());
  }

  /**
   * Adds one request to its edge and endpoint series. Returns its endpoint's
   * p99 duration in ns from past intervals (Infinity while unknown), which
   * the record sampler uses to tell slow requests.
   */
  fold(record: RequestRecord): number {
    const nowMs = this.now();
    if (nowMs >= this.intervalStartMs + this.intervalMs) this.seal(nowMs);
    const attributes = record.attributes;
    let { server, client } = record;
    const statusClass = statusClassOf(record);
    let host = attributes["http.host"] || attributes["server.host"] || "";
    let clientHost = attributes["client.host"] ?? "";
    let serverNamespace = attributes["k8s.server.namespace"] ?? "";
    let serverWorkload = attributes["k8s.server.workload"] ?? "";
    let clientNamespace = attributes["k8s.client.namespace"] ?? "";
    let clientWorkload = attributes["k8s.client.workload"] ?? "";
    // pid 0: not a process on this host (a remote peer), so no container of ours.
    let clientContainer = client.pid === 0 ? "" : this.containerIdOf(client.pid);
    let serverContainer = server.pid === 0 ? "" : this.containerIdOf(server.pid);
    let clientIn = this.containerToken(clientContainer);
    let serverIn = this.containerToken(serverContainer);
    // A named peer outside the internal blocks is its name, not its address.
    if (clientHost !== "" && !this.isInternalAddress(client.ip)) client = { ...client, ip: "", port: 0 };
    if (attributes["server.host"] && !attributes["http.host"] && !this.isInternalAddress(server.ip)) {
      server = { ...server, ip: "", port: 0 };
    }
    const local =
      record.side === "server"
        ? `${server.service}|${server.processName}|${serverIn}|${serverNamespace}|${serverWorkload}`
        : `${client.service}|${client.processName}|${clientIn}|${clientNamespace}|${clientWorkload}`;
    const peer =
      record.side === "server"
        ? `${client.ip}|${client.service}|${client.processName}|${clientIn}|${clientNamespace}|${clientWorkload}|${clientHost}`
        : `${server.ip}|${server.port}|${server.service}|${server.processName}|${serverIn}|${serverNamespace}|${serverWorkload}|${host}`;
    if (!this.admitPeer(`${record.side}|${local}`, peer, nowMs)) {
      this.counters.peerOverflow++;
      if (record.side === "server") {
        client = NO_ENDPOINT;
        clientHost = OVERFLOW_PEER;
        clientContainer = "";
        clientIn = "";
        clientNamespace = "";
        clientWorkload = "";
      } else {
        server = NO_ENDPOINT;
        host = OVERFLOW_PEER;
        serverContainer = "";
        serverIn = "";
        serverNamespace = "";
        serverWorkload = "";
      }
    }
    const serverKey = `${record.protocol}|${record.side}|${server.ip}|${server.port}|${server.service}|${server.processName}|${serverIn}|${host}|${serverNamespace}|${serverWorkload}`;
    const durationNs = Number(record.durationNs);

    const edgeKey = `${serverKey}|${client.ip}|${client.service}|${client.processName}|${clientIn}|${clientNamespace}|${clientWorkload}|${clientHost}|${statusClass}`;
    let edge = this.edges.get(edgeKey);
    if (edge === undefined) {
      edge = this.open(this.edges, edgeKey, SeriesKind.EDGE, record, statusClass, {
        client: copyOf(client),
        server: copyOf(server),
        serverHost: host,
        clientHost,
        operation: "",
        target: "",
        clientNamespace,
        clientWorkload,
        serverNamespace,
        serverWorkload,
        clientContainerId: clientContainer,
        serverContainerId: serverContainer,
      });
    }
    edge.add(record, durationNs);

    const operation =
      record.operation.length <= MAX_OPERATION_LENGTH
        ? record.operation
        : record.operation.slice(0, MAX_OPERATION_LENGTH);
    const target = this.templater.template(record.protocol, record.target);
    let endpointKey = `${serverKey}|${operation}|${target}|${statusClass}`;
    let endpoint = this.endpoints.get(endpointKey);
    if (endpoint === undefined) {
      const seen = this.endpointsPerServer.get(serverKey) ?? 0;
      const identity = {
        client: undefined,
        server: copyOf(server),
        serverHost: host,
        clientHost: "",
        operation,
        target,
        clientNamespace: "",
        clientWorkload: "",
        serverNamespace,
        serverWorkload,
        clientContainerId: "",
        serverContainerId: serverContainer,
      };
      if (seen >= this.maxEndpointsPerServer) {
        this.counters.endpointOverflow++;
        endpointKey = `${serverKey}|${OVERFLOW_TARGET}|${statusClass}`;
        identity.operation = "";
        identity.target = OVERFLOW_TARGET;
        endpoint = this.endpoints.get(endpointKey);
      } else {
        this.endpointsPerServer.set(serverKey, seen + 1);
      }
      endpoint ??= this.open(this.endpoints, endpointKey, SeriesKind.ENDPOINT, record, statusClass, identity);
    }
    endpoint.add(record, durationNs);
    return this.slowThresholds.get(endpointKey) ?? Number.POSITIVE_INFINITY;
  }

  /**
   * The series of every interval that ended by now, as messages, once each.
   * `final`: the open interval too (the agent is stopping).
   */
  drain(final = false): MetricSeries[] {
    const nowMs = this.now();
    if (final || nowMs >= this.intervalStartMs + this.intervalMs) this.seal(nowMs);
    const sealed = this.sealed;
    this.sealed = [];
    this.counters.seriesEmitted += sealed.length;
    return sealed;
  }

  /** Series open in the current interval. */
  get openSeries(): number {
    return this.edges.size + this.endpoints.size;
  }

  private open(
    table: Map<string, SeriesAccumulator>,
    key: string,
    kind: SeriesKind,
    record: RequestRecord,
    statusClass: SeriesAccumulator["identity"]["statusClass"],
    identity: Omit<SeriesAccumulator["identity"], "kind" | "protocol" | "side" | "statusClass">,
  ): SeriesAccumulator {
    if (this.edges.size + this.endpoints.size >= this.maxSeriesPerInterval) {
      this.counters.seriesOverflow++;
      const overflowKey = `${OVERFLOW_TARGET}|${kind}|${record.protocol}|${record.side}|${statusClass}`;
      const existing = table.get(overflowKey);
      if (existing !== undefined) return existing;
      const catchAll = new SeriesAccumulator({
        kind,
        protocol: record.protocol,
        side: record.side,
        statusClass,
        client: undefined,
        server: undefined,
        serverHost: "",
        clientHost: "",
        operation: "",
        target: OVERFLOW_TARGET,
        clientNamespace: "",
        clientWorkload: "",
        serverNamespace: "",
        serverWorkload: "",
        clientContainerId: "",
        serverContainerId: "",
      });
      // Past the cap on purpose: one catch-all per (kind, protocol, side, class) at most.
      table.set(overflowKey, catchAll);
      return catchAll;
    }
    const series = new SeriesAccumulator({
      kind,
      protocol: record.protocol,
      side: record.side,
      statusClass,
      ...identity,
    });
    table.set(key, series);
    return series;
  }

  /** A container id's stand-in in series keys ("" for none). */
  private containerToken(containerId: string): string {
    if (containerId === "") return "";
    let token = this.containerTokens.get(containerId);
    if (token === undefined) {
      token = `#${this.nextContainerToken++}`;
      this.containerTokens.set(containerId, token);
    }
    return token;
  }

  /** Whether `peer` has (or now gets) one of the local service's slots. */
  private admitPeer(local: string, peer: string, nowMs: number): boolean {
    let peers = this.peers.get(local);
    if (peers === undefined) {
      peers = new Map();
      this.peers.set(local, peers);
    }
    if (peers.has(peer) || peers.size < this.maxPeersPerService) {
      peers.set(peer, nowMs);
      return true;
    }
    return false;
  }

  /** Peers idle for peerIdleMs give their slots up; a service with none is forgotten. */
  private expirePeers(nowMs: number): void {
    for (const [local, peers] of this.peers) {
      for (const [peer, seenMs] of peers) if (nowMs - seenMs > this.peerIdleMs) peers.delete(peer);
      if (peers.size === 0) this.peers.delete(local);
    }
  }

  /** Closes the open interval into messages and opens the one holding `nowMs`. */
  private seal(nowMs: number): void {
    this.expirePeers(nowMs);
    // Containers come and go (a CronJob's each run): start over between intervals, where no
    // open series holds a token. Tokens are not reused, so a peer slot keyed by an old one
    // cannot be taken for another container's; it idles out.
    if (this.containerTokens.size > MAX_CONTAINER_TOKENS) this.containerTokens = new Map();
    const startNs = BigInt(this.intervalStartMs) * 1_000_000n;
    const intervalNs = BigInt(this.intervalMs) * 1_000_000n;
    for (const series of this.edges.values()) this.sealed.push(series.toMessage(startNs, intervalNs));
    const thresholds = new Map<string, number>();
    for (const [key, series] of this.endpoints) {
      this.sealed.push(series.toMessage(startNs, intervalNs));
      if (series.count >= MIN_REQUESTS_FOR_P99) thresholds.set(key, series.latency.quantile(0.99));
      else {
        // Too few requests to say what slow is: the last trusted figure stands.
        const previous = this.slowThresholds.get(key);
        if (previous !== undefined) thresholds.set(key, previous);
      }
    }
    this.slowThresholds = thresholds;
    this.edges = new Map();
    this.endpoints = new Map();
    this.endpointsPerServer = new Map();
    this.intervalStartMs = this.alignedStart(nowMs);
  }

  private alignedStart(ms: number): number {
    return Math.floor(ms / this.intervalMs) * this.intervalMs;
  }
}

/** The identity fields only: a record's endpoint is not kept alive by its series. */
function copyOf(endpoint: RecordEndpoint): RecordEndpoint {
  return {
    ip: endpoint.ip,
    port: endpoint.port,
    service: endpoint.service,
    pid: 0,
    processName: endpoint.processName,
  };
}
