// Prints the hot-path cost per request of the metrics and the record budget:
// SeriesAggregator.fold then RecordSampler.decide, on HTTP server records
// shaped like the agent's (20 endpoints, a tenth with ids in the path, 2%
// errors, 2% traced), at a budget that samples most of them out. Prints,
// asserts nothing.
//   pnpm exec tsx src/metrics/testing/fold-decide-cost.ts
import { randomBytes } from "node:crypto";
import { RecordSampler } from "../../sampling/record-sampler.js";
import { SeriesAggregator } from "../series-aggregator.js";
import { sampleRecord } from "./sample-records.js";

const RECORDS = 200_000;
const records = Array.from({ length: RECORDS }, (_, i) =>
  sampleRecord({
    target:
      i % 10 === 0 ? `/users/${i}/orders?page=2` : `/api/v1/endpoint-${String.fromCharCode(97 + (i % 20))}`,
    status: i % 50 === 0 ? 503 : 200,
    error: i % 50 === 0,
    durationNs: BigInt(500_000 + (i % 1000) * 1000),
    traceId: i % 50 === 1 ? randomBytes(16).toString("hex") : "",
    attributes: { "http.host": "api.local", "http.version": "1.1" },
  }),
);

function microsPerRecord(run: () => void, rounds: number): number {
  run(); // warm-up: JIT
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) run();
  return Number(process.hrtime.bigint() - start) / 1000 / (rounds * RECORDS);
}

const aggregator = new SeriesAggregator();
const sampler = new RecordSampler({ budgetPerSecond: 5_000 });
let kept = 0;
const foldOnly = microsPerRecord(() => {
  for (const record of records) aggregator.fold(record);
}, 5);
const foldAndDecide = microsPerRecord(() => {
  for (const record of records) if (sampler.decide(record, aggregator.fold(record)) > 0) kept++;
}, 5);
console.log(`${RECORDS} records per round, ${aggregator.openSeries} series open`);
console.log(`fold          ${foldOnly.toFixed(2)} µs/record`);
console.log(`fold + decide ${foldAndDecide.toFixed(2)} µs/record (kept ${kept})`);
