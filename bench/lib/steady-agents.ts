// Simulated agents sending a fixed record rate through the collector's real
// gRPC ingest, the way packages/agent/src/export/exporter.ts does: records
// batched and flushed every second or at 512, up to 16 Export calls in flight,
// a refused batch retried; and every record folded into 5 s metric series,
// sent once their interval has closed (the agent drains series each second).
// Each record goes to the agent of the service that observed it (hashed onto
// the agents), so each agent sends series for its own edges only, as on a
// real node.
import { Client, credentials } from "@grpc/grpc-js";
import {
  create,
  ExportRequestSchema,
  encodeExportRequest,
  ingestServiceDefinition,
  type RequestRecord,
} from "@periscope/proto";
import { SyntheticRecords } from "./synthetic-records.js";
import { foldIntoSeries } from "./synthetic-series.js";
import type { TopologySize } from "./synthetic-topology.js";

// The exporter's defaults (packages/agent/src/export/exporter.ts).
const FLUSH_INTERVAL_MS = 1_000;
const MAX_BATCH_RECORDS = 512;
const MAX_IN_FLIGHT = 16;
const SERIES_INTERVAL_MS = 5_000;
const GENERATE_EVERY_MS = 50;
const RESOURCE_EXHAUSTED = 8;

export interface SteadyLoadTotals {
  recordsSent: number;
  seriesSent: number;
  batchesAcknowledged: number;
  batchesRefused: number;
  errors: number;
  /** Per acknowledged batch with records: acknowledgement time − its oldest record's time, ms. */
  lagsMs: number[];
}

const emptyTotals = (): SteadyLoadTotals => ({
  recordsSent: 0,
  seriesSent: 0,
  batchesAcknowledged: 0,
  batchesRefused: 0,
  errors: 0,
  lagsMs: [],
});

class SimulatedAgent {
  private batchSeq = 0n;
  private current: RequestRecord[] = [];
  private unfolded: RequestRecord[] = [];
  private unfoldedInterval = 0;
  private readonly ready: { bytes: Buffer; oldestMs: number; records: number; series: number }[] = [];
  private inFlight = 0;
  private stopped = false;
  private readonly client: Client;
  private timer: NodeJS.Timeout;

  constructor(
    readonly agentId: string,
    grpcAddress: string,
    private readonly totals: () => SteadyLoadTotals,
    startOffsetMs: number,
  ) {
    this.client = new Client(grpcAddress, credentials.createInsecure());
    // Agents start at different moments, so their flushes do not line up.
    this.timer = setTimeout(() => {
      this.timer = setInterval(() => this.flush(), FLUSH_INTERVAL_MS);
    }, startOffsetMs);
  }

  add(record: RequestRecord, nowMs: number): void {
    this.current.push(record);
    const interval = Math.floor(nowMs / SERIES_INTERVAL_MS);
    if (this.unfolded.length === 0) this.unfoldedInterval = interval;
    this.unfolded.push(record);
    if (this.current.length >= MAX_BATCH_RECORDS) this.flush();
  }

  /** Nothing left to send: every batch acknowledged (or still retrying: not idle). */
  get idle(): boolean {
    return this.inFlight === 0 && this.ready.length === 0 && this.current.length === 0;
  }

  /** Stops the flush timer and seals what was gathered, its open series interval included. */
  finish(): void {
    clearTimeout(this.timer);
    clearInterval(this.timer);
    this.unfoldedInterval = -1; // the open interval is closed now, as an agent's shutdown does
    this.flush();
  }

  stop(): void {
    this.finish();
    this.stopped = true;
    this.client.close();
  }

  private flush(): void {
    const nowMs = Date.now();
    const intervalClosed =
      this.unfolded.length > 0 && Math.floor(nowMs / SERIES_INTERVAL_MS) > this.unfoldedInterval;
    const metrics = intervalClosed ? foldIntoSeries(this.unfolded) : [];
    if (intervalClosed) this.unfolded = [];
    if (this.current.length === 0 && metrics.length === 0) return;
    const requests = this.current;
    this.current = [];
    this.batchSeq += 1n;
    const message = create(ExportRequestSchema, {
      agentId: this.agentId,
      batchSeq: this.batchSeq,
      agent: { hostname: this.agentId, version: "bench-steady" },
      requests,
      metrics,
    });
    const oldest = requests[0]?.startTimeUnixNano;
    this.ready.push({
      // The agent's own encoder: toBinary's reflection (~20 µs a record) would make this
      // process, not the collector, the limit at bench-scale's 100k records/s.
      bytes: encodeExportRequest(message),
      oldestMs: oldest === undefined ? Number.NaN : Number(oldest / 1_000_000n),
      records: requests.length,
      series: metrics.length,
    });
    this.sendReady();
  }

  private sendReady(): void {
    while (this.inFlight < MAX_IN_FLIGHT) {
      const batch = this.ready.shift();
      if (batch === undefined) return;
      this.inFlight += 1;
      this.send(batch);
    }
  }

  private send(batch: (typeof this.ready)[number]): void {
    const call = ingestServiceDefinition.export;
    this.client.makeUnaryRequest(
      call.path,
      (bytes: Buffer) => bytes,
      call.responseDeserialize,
      batch.bytes,
      (error) => {
        // Calls cut short by stop() (the collector going away) are not retried.
        if (this.stopped) return;
        const totals = this.totals();
        if (error) {
          if ((error as { code?: number }).code === RESOURCE_EXHAUSTED) totals.batchesRefused += 1;
          else totals.errors += 1;
          setTimeout(() => {
            if (!this.stopped) this.send(batch);
          }, 100);
          return;
        }
        this.inFlight -= 1;
        totals.batchesAcknowledged += 1;
        totals.recordsSent += batch.records;
        totals.seriesSent += batch.series;
        if (batch.records > 0) totals.lagsMs.push(Date.now() - batch.oldestMs);
        this.sendReady();
      },
    );
  }
}

/** A fixed record rate from `agents` simulated agents until stop(). */
export class SteadyLoad {
  private totals = emptyTotals();
  private readonly agents: SimulatedAgent[];
  private readonly records: SyntheticRecords;
  private readonly agentOf = new Map<string, SimulatedAgent>();
  private readonly generator: NodeJS.Timeout;
  private readonly startedMs = Date.now();
  private generated = 0;

  constructor(grpcAddress: string, recordsPerSecond: number, agentCount: number, topology?: TopologySize) {
    this.records = new SyntheticRecords(topology);
    this.agents = Array.from(
      { length: agentCount },
      (_, i) =>
        new SimulatedAgent(
          `steady-agent-${i}`,
          grpcAddress,
          () => this.totals,
          (i * FLUSH_INTERVAL_MS) / agentCount,
        ),
    );
    this.generator = setInterval(() => {
      const nowMs = Date.now();
      // At most two ticks' worth at once: a generator that cannot keep up falls
      // behind (offered() says by how much) instead of holding the event loop
      // and starving its own gRPC calls.
      const due = Math.min(
        Math.floor(((nowMs - this.startedMs) * recordsPerSecond) / 1000),
        this.generated + Math.ceil((recordsPerSecond * GENERATE_EVERY_MS * 2) / 1000),
      );
      while (this.generated < due) {
        for (const { record, observer } of this.records.nextCall(nowMs)) {
          this.agentFor(observer).add(record, nowMs);
          this.generated += 1;
        }
      }
    }, GENERATE_EVERY_MS);
  }

  /** What was acknowledged since the last call (or the start), and a fresh count from now. */
  takeTotals(): SteadyLoadTotals {
    const totals = this.totals;
    this.totals = emptyTotals();
    return totals;
  }

  /** Records generated so far (acknowledged or not). */
  offered(): number {
    return this.generated;
  }

  /** Stops generating and waits up to timeoutMs for every agent's batches to be acknowledged. */
  async drained(timeoutMs: number): Promise<void> {
    clearInterval(this.generator);
    for (const agent of this.agents) agent.finish();
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && !this.agents.every((agent) => agent.idle)) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  stop(): void {
    clearInterval(this.generator);
    for (const agent of this.agents) agent.stop();
  }

  private agentFor(service: string): SimulatedAgent {
    let agent = this.agentOf.get(service);
    if (agent === undefined) {
      agent = this.agents[this.agentOf.size % this.agents.length] as SimulatedAgent;
      this.agentOf.set(service, agent);
    }
    return agent;
  }
}
