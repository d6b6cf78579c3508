// Records per second, per protocol, that the agent's user-space path turns out
// on one core: the committed protocol fixtures (real clients against real
// servers where one runs here; Kafka and MongoDB generated from their published
// layouts) replayed as the kernel events the decoder hands over, through
// connection tracking, stream reassembly, parsing and pairing into records.
// Every conversation is its own connection, handshake included, so protocols
// whose fixtures are mostly handshake (MQTT, AMQP) show what a short-lived
// client costs, not only steady state.
import { ListeningSockets, LocalAddresses, Pipeline, ProcessNames } from "@periscope/agent";
import { type ConnectionShape, conversationPasses } from "../lib/conversation-events.js";
import { type Conversation, requestsAndResponses, transcript } from "../lib/fixture-conversations.js";
import { opsPerSecond, writeResults } from "../lib/results.js";

interface ProtocolCase extends ConnectionShape {
  protocol: string;
  conversations: Conversation[];
}

/** A client connection to `serverPort` over TCP, tagged `kernelProtocol` by the kernel. */
function overTcp(
  protocol: string,
  kernelProtocol: ProtocolCase["kernelProtocol"],
  serverPort: number,
  conversations: Conversation[],
): ProtocolCase {
  return { protocol, kernelProtocol, transport: "tcp", serverPort, conversations };
}

const pairs = (folder: string, ext: string, names: string[]) =>
  names.map((name) => requestsAndResponses(folder, name, ext));
const transcripts = (folder: string, names: string[]) => names.map((name) => transcript(folder, name));

// KernelProtocol numbers from packages/agent/src/capture/events.ts.
const CASES: ProtocolCase[] = [
  overTcp(
    "http",
    1,
    8080,
    pairs("http1", "http", ["keep-alive", "pipelined", "chunked-trailers", "head", "not-modified"]),
  ),
  overTcp("http2", 2, 8443, pairs("http2", "h2", ["http2-streams"])),
  overTcp(
    "grpc",
    2,
    50051,
    pairs(
      "http2",
      "h2",
      ["unary", "server-streaming", "client-streaming", "failing", "trailers-only"].map(
        (name) => `grpc-${name}`,
      ),
    ),
  ),
  overTcp("postgres", 3, 5432, pairs("postgres", "bin", ["simple-query", "extended-query", "failing-query"])),
  overTcp(
    "mysql",
    4,
    3306,
    pairs("mysql", "bin", ["text-query", "prepared", "failing-query", "deprecate-eof"]),
  ),
  overTcp("redis", 5, 6379, pairs("redis", "bin", ["resp2-commands", "resp3-types", "pubsub-resp2"])),
  { ...overTcp("dns", 6, 53, transcripts("dns", ["udp-queries"])), transport: "udp" },
  overTcp("kafka", 7, 9092, transcripts("kafka", ["classic", "flexible"])),
  overTcp("amqp", 8, 5672, transcripts("amqp", ["publish-consume", "confirms", "channel-error"])),
  overTcp("nats", 9, 4222, pairs("nats", "bin", ["pub-sub", "verbose", "invalid-subject"])),
  overTcp("mongo", 10, 27017, transcripts("mongo", ["handshake-find", "writes-errors"])),
  overTcp("mqtt", 11, 1883, pairs("mqtt", "bin", ["v311", "v5"])),
];

const WARM_UP_MS = 500;
const MEASURE_MS = 2_000;

interface Measurement {
  recordsPerSecond: number;
  recordsPerPass: number;
  bytesPerPass: number;
}

function measure(testCase: ProtocolCase): Measurement {
  let records = 0;
  let otherProtocols = 0;
  const pipeline = new Pipeline({
    tracker: { maxConnections: 16_384, maxStreamBytes: 64 * 1024, idleTimeoutNs: 3_600_000_000_000n },
    processNames: new ProcessNames(),
    listeners: new ListeningSockets({ minRefreshIntervalMs: 60_000, maxListeners: 4096 }),
    localAddresses: new LocalAddresses(),
    onRecord: (record) => {
      if (record.protocol === testCase.protocol) records += 1;
      else otherProtocols += 1;
    },
  });
  const nextPass = conversationPasses(testCase.conversations, testCase);
  const recordsOfOnePass = () => {
    const before = records;
    pipeline.handleBatch(nextPass());
    return records - before;
  };
  const recordsPerPass = recordsOfOnePass();
  opsPerSecond(recordsOfOnePass, WARM_UP_MS); // JIT
  const recordsPerSecond = opsPerSecond(recordsOfOnePass, MEASURE_MS);
  // A figure is only worth printing if the fixtures parsed as the tests say they do.
  const counters = pipeline.counters();
  if (recordsPerPass === 0)
    throw new Error(`${testCase.protocol}: no records, the benchmark measures nothing`);
  if (otherProtocols > 0)
    throw new Error(`${testCase.protocol}: ${otherProtocols} records of another protocol`);
  if (counters.parseErrors > 0 || counters.streamGaps > 0) {
    throw new Error(
      `${testCase.protocol}: unexpected parse errors ${counters.parseErrors} / gaps ${counters.streamGaps}`,
    );
  }
  const bytesPerPass = testCase.conversations
    .flatMap((conversation) => conversation.segments)
    .reduce((total, segment) => total + segment.bytes.length, 0);
  return { recordsPerSecond, recordsPerPass, bytesPerPass };
}

const figures: Record<string, number> = {};
const rows: string[][] = [];
for (const testCase of CASES) {
  const { recordsPerSecond, recordsPerPass, bytesPerPass } = measure(testCase);
  figures[testCase.protocol] = recordsPerSecond;
  const megabytesPerSecond = (recordsPerSecond / recordsPerPass) * bytesPerPass * 1e-6;
  rows.push([
    testCase.protocol,
    recordsPerSecond.toLocaleString("en-US"),
    megabytesPerSecond.toFixed(1),
    String(recordsPerPass),
    testCase.conversations.map((conversation) => conversation.name.split("/")[1]).join(", "),
  ]);
}

const header = ["protocol", "records/s", "MB/s", "records/pass", "fixtures (one connection each per pass)"];
const widths = header.map((title, column) =>
  Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
);
const line = (cells: string[]) =>
  cells
    .map((cell, column) =>
      column === 1 || column === 2 ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
    )
    .join("  ")
    .trimEnd();
console.log(line(header));
for (const row of rows) console.log(line(row));
console.log("");
writeResults("parsers", figures);
