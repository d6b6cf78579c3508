// Prints the cost per record of encoding an Export batch: protobuf-es's
// toBinary against encodeExportRequest, on batches shaped like the agent's
// (512 HTTP server records from toProtoRecord's shape). Prints, asserts nothing.
//   pnpm exec tsx src/export/testing/export-encode-cost.ts
import {
  create,
  type Endpoint,
  ExportRequestSchema,
  encodeExportRequest,
  type RequestRecord,
  Side,
  toBinary,
} from "@periscope/proto";

const BATCH = 512;
const ROUNDS = 200;

const endpoint = (ip: string, port: number, pid: number, processName: string): Endpoint => ({
  $typeName: "periscope.agent.v1.Endpoint",
  ip,
  port,
  service: processName,
  pid,
  processName,
  containerId: "",
  cmdline: "",
  exe: "",
  processStartTimeUnixMs: 0n,
});

const record = (i: number): RequestRecord => ({
  $typeName: "periscope.agent.v1.RequestRecord",
  protocol: "http",
  side: Side.SERVER,
  startTimeUnixNano: 1_764_000_000_000_000_000n + BigInt(i) * 1000n,
  durationNano: BigInt(40_000 + (i % 977)),
  client: endpoint("10.0.3.17", 40_000 + (i % 20_000), 0, ""),
  server: endpoint("10.0.3.5", 8080, 4242, "nginx"),
  operation: "GET",
  target: `/api/v1/items/${i}?page=2`,
  status: 200,
  error: false,
  requestBytes: 180n,
  responseBytes: 612n,
  attributes: { "http.host": "shop.internal:8080", "http.user_agent": "wrk/4.2.0" },
  traceId: i % 4 === 0 ? "4bf92f3577b34da6a3ce929d0e0e4736" : "",
  spanId: i % 4 === 0 ? "00f067aa0ba902b7" : "",
  parentSpanId: "",
  truncated: false,
  sampleWeight: 1,
});

const request = create(ExportRequestSchema, {
  agentId: "node-1/8c1f",
  batchSeq: 1_764_000_000_000_000n,
  agent: { hostname: "node-1", version: "0.1.0", kernel: "6.8.0", drops: { ringbufFull: 12n } },
  requests: Array.from({ length: BATCH }, (_, i) => record(i)),
});

function microsPerRecord(encode: () => Uint8Array): number {
  for (let i = 0; i < 20; i++) encode(); // warm-up: JIT
  const start = process.hrtime.bigint();
  for (let i = 0; i < ROUNDS; i++) encode();
  return Number(process.hrtime.bigint() - start) / 1000 / (ROUNDS * BATCH);
}

const reflective = microsPerRecord(() => toBinary(ExportRequestSchema, request));
const handWritten = microsPerRecord(() => encodeExportRequest(request));
const bytes = encodeExportRequest(request).length;
console.log(`batch of ${BATCH} records, ${(bytes / BATCH).toFixed(0)} bytes per record`);
console.log(`toBinary            ${reflective.toFixed(2)} µs/record`);
console.log(
  `encodeExportRequest ${handWritten.toFixed(2)} µs/record (${(reflective / handWritten).toFixed(1)}x)`,
);
