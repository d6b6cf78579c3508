// Request records of the synthetic cluster (synthetic-topology.ts) made in JS,
// one at a time, for load sent through the real gRPC ingest: the same shape
// as the bulk load's SQL (synthetic-requests.ts) — edges chosen by weight,
// both ends of a call seen by an agent recorded, per-edge error rates,
// log-normal latencies around the edge's median, ids in paths, a trace per
// ~4 calls — at the wall-clock time they are made.
import { create, type RequestRecord, RequestRecordSchema, Side } from "@periscope/proto";
import { slotTable } from "./synthetic-requests.js";
import { type SyntheticEdge, syntheticTopology, type TopologySize } from "./synthetic-topology.js";

/** A record and the service whose node observed it (its agent). */
export interface ObservedRecord {
  record: RequestRecord;
  observer: string;
}

export class SyntheticRecords {
  private readonly edges: SyntheticEdge[];
  private readonly slots: number[];
  private call = 0;

  constructor(size?: TopologySize) {
    this.edges = syntheticTopology(42, size);
    this.slots = slotTable(this.edges);
  }

  /** The records of one call: one per end that runs an agent. */
  nextCall(nowMs: number): ObservedRecord[] {
    const n = this.call++;
    const edge = this.edges[(this.slots[hash(n, 1) % this.slots.length] ?? 1) - 1] as SyntheticEdge;
    const failed = hash(n, 2) % 1000 < edge.errorPerMille;
    const status = failed ? failedStatus(edge.protocol) : edge.protocol === "http" ? 200 : 0;
    // Box–Muller, as the SQL generator does.
    const z =
      Math.sqrt(-2 * Math.log((hash(n, 3) % 1_000_000) / 1_000_001 + 1e-6)) *
      Math.cos((2 * Math.PI * (hash(n, 4) % 1_000_000)) / 1_000_000);
    const durationNs = Math.max(1000, Math.round(edge.medianMicros * 1000 * Math.exp(0.8 * z)));
    const operation = edge.operations[hash(n, 5) % edge.operations.length] ?? "GET";
    const path = edge.targets[hash(n, 6) % edge.targets.length] ?? "/";
    const web = edge.protocol === "http" || edge.protocol === "grpc";
    const traced = n % 4 === 0;
    const base = {
      protocol: edge.protocol,
      startTimeUnixNano: BigInt(nowMs) * 1_000_000n,
      client: {
        ip: edge.client === "" ? `203.0.113.${n % 64}` : `10.20.${n % 250}.${hash(n, 7) % 250}`,
        port: 20_000 + (hash(n, 8) % 40_000),
        service: edge.client,
        pid: edge.client === "" ? 0 : 1000,
        processName: edge.client,
      },
      server: {
        ip: edge.serverIp,
        port: edge.serverPort,
        service: edge.server,
        pid: edge.server === "" ? 0 : 2000,
        processName: edge.server,
      },
      operation,
      target: web ? `${path}/${hash(n, 9) % 5000}` : path,
      status,
      error: failed,
      requestBytes: BigInt(200 + (hash(n, 10) % 2000)),
      responseBytes: BigInt(500 + (hash(n, 11) % 20_000)),
      attributes: (edge.protocol === "http" ? { "http.host": edge.server || edge.serverIp } : {}) as Record<
        string,
        string
      >,
      traceId: traced ? `${hex16(hash(n, 12))}${hex16(n)}` : "",
      spanId: traced ? hex16(hash(n, 13)) : "",
      sampleWeight: 1,
    };
    const records: ObservedRecord[] = [];
    if (edge.clientObserved)
      records.push({
        observer: edge.client,
        record: create(RequestRecordSchema, { ...base, side: Side.CLIENT, durationNano: BigInt(durationNs) }),
      });
    if (edge.serverObserved)
      records.push({
        observer: edge.server,
        record: create(RequestRecordSchema, {
          ...base,
          side: Side.SERVER,
          durationNano: BigInt(Math.round(durationNs * 0.9)),
        }),
      });
    return records;
  }
}

function failedStatus(protocol: string): number {
  if (protocol === "http") return 503;
  return protocol === "grpc" ? 14 : 1;
}

/** A 32-bit mix of (n, salt) (murmur3's finaliser): deterministic, well spread. */
function hash(n: number, salt: number): number {
  let h = Math.imul(n ^ Math.imul(salt, 0x9e3779b9), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const hex16 = (value: number) => value.toString(16).padStart(16, "0");
