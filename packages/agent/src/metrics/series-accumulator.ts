// One metric series while its interval is open: the sums a record adds to,
// and the identity it was opened with, turned into a MetricSeries message
// when the interval closes. Messages are plain protobuf-es objects with every
// field set, as records/to-proto.ts builds them (create() reflects on the
// schema per message).

import {
  type Endpoint,
  LATENCY_SCALE,
  LatencyHistogram,
  type MetricSeries,
  type SeriesKind,
  Side,
} from "@periscope/proto";
import type { RecordEndpoint, RequestRecord } from "../records/request-record.js";
import type { StatusClass } from "./status-class.js";

/** What names a series: set once, from the first record folded into it. */
export interface SeriesIdentity {
  kind: SeriesKind;
  protocol: string;
  side: RequestRecord["side"];
  /** Edges only. */
  client: RecordEndpoint | undefined;
  /** Undefined for the catch-all series past the agent's series cap. */
  server: RecordEndpoint | undefined;
  serverHost: string;
  /** Edges: the name of a client no process was found for (client.host), or "{overflow}". */
  clientHost: string;
  /** Endpoints only ("" for edges). */
  operation: string;
  target: string;
  statusClass: StatusClass;
  clientNamespace: string;
  clientWorkload: string;
  serverNamespace: string;
  serverWorkload: string;
  /** Container of the client / server process when it runs on this host in one; "" otherwise. */
  clientContainerId: string;
  serverContainerId: string;
}

export class SeriesAccumulator {
  count = 0;
  errors = 0;
  requestBytes = 0;
  responseBytes = 0;
  durationSumNs = 0;
  readonly latency = new LatencyHistogram(LATENCY_SCALE);

  constructor(readonly identity: SeriesIdentity) {}

  add(record: RequestRecord, durationNs: number): void {
    this.count++;
    if (record.error) this.errors++;
    this.requestBytes += record.requestBytes;
    this.responseBytes += record.responseBytes;
    this.durationSumNs += durationNs;
    this.latency.record(durationNs);
  }

  toMessage(startUnixNs: bigint, intervalNs: bigint): MetricSeries {
    const id = this.identity;
    return {
      $typeName: "periscope.agent.v1.MetricSeries",
      kind: id.kind,
      startTimeUnixNano: startUnixNs,
      intervalNano: intervalNs,
      protocol: id.protocol,
      side: id.side === "client" ? Side.CLIENT : Side.SERVER,
      client: id.client === undefined ? undefined : identityOf(id.client, 0, id.clientContainerId),
      server:
        id.server === undefined ? undefined : identityOf(id.server, id.server.port, id.serverContainerId),
      serverHost: id.serverHost,
      clientHost: id.clientHost,
      operation: id.operation,
      target: id.target,
      statusClass: id.statusClass,
      count: BigInt(this.count),
      errors: BigInt(this.errors),
      requestBytes: BigInt(this.requestBytes),
      responseBytes: BigInt(this.responseBytes),
      durationSumNano: BigInt(Math.round(this.durationSumNs)),
      latency: this.latency.toMessage(),
      clientNamespace: id.clientNamespace,
      clientWorkload: id.clientWorkload,
      serverNamespace: id.serverNamespace,
      serverWorkload: id.serverWorkload,
    };
  }
}

/**
 * Identity only: a series stands for many processes' requests, so no pid or
 * process details; the container id stays, since the collector names a local
 * end by it first (a host-network pod's IP is its node's).
 */
function identityOf(endpoint: RecordEndpoint, port: number, containerId: string): Endpoint {
  return {
    $typeName: "periscope.agent.v1.Endpoint",
    ip: endpoint.ip,
    port,
    service: endpoint.service,
    pid: 0,
    processName: endpoint.processName,
    containerId,
    cmdline: "",
    exe: "",
    processStartTimeUnixMs: 0n,
  };
}
