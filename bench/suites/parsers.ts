// Records per second, per protocol, that the agent's user-space path turns out
// on one core: synthetic kernel events (as the decoder hands them over) through
// connection tracking, stream reassembly, parsing and pairing into records.
import { type KernelEvent, ListeningSockets, LocalAddresses, Pipeline, ProcessNames } from "@periscope/agent";
import { opsPerSecond, writeResults } from "../lib/results.js";

const CONNECTIONS = 64;
const EXCHANGES_PER_BATCH = 16;

const request = Buffer.from(
  "GET /api/orders?user=42 HTTP/1.1\r\nHost: orders:3102\r\nUser-Agent: bench\r\nAccept: application/json\r\n" +
    "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\n\r\n",
);
const body = JSON.stringify({ user: 42, orders: [{ id: 1, total: 42 }] });
const response = Buffer.from(
  `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
);

/** A keep-alive HTTP/1.1 client connection per fd, fed one batch of exchanges at a time. */
function httpBatches(): () => KernelEvent[] {
  const offsets = Array.from({ length: CONNECTIONS }, () => ({ egress: 0n, ingress: 0n }));
  let now = 1_000_000_000n;
  let batch = 0;
  const opens: KernelEvent[] = offsets.map((_, fd) => ({
    kind: "open",
    timestampNs: now,
    conn: { tgid: 4242, fd: fd + 10, generation: 1 },
    pid: 4242,
    family: "ipv4",
    localAddr: "127.0.0.1",
    localPort: 40_000 + fd,
    remoteAddr: "10.1.2.3",
    remotePort: 3102,
    role: 1,
    source: 5,
    comm: "bench-client",
  }));
  return () => {
    const events: KernelEvent[] = batch === 0 ? [...opens] : [];
    batch += 1;
    for (let i = 0; i < EXCHANGES_PER_BATCH; i++) {
      const fd = (batch * EXCHANGES_PER_BATCH + i) % CONNECTIONS;
      const offset = offsets[fd];
      if (offset === undefined) continue;
      const conn = { tgid: 4242, fd: fd + 10, generation: 1 };
      now += 50_000n;
      events.push(dataEvent(conn, now, 1, offset.egress, request));
      now += 200_000n;
      events.push(dataEvent(conn, now, 2, offset.ingress, response));
      offset.egress += BigInt(request.length);
      offset.ingress += BigInt(response.length);
    }
    return events;
  };
}

function dataEvent(
  conn: { tgid: number; fd: number; generation: number },
  timestampNs: bigint,
  direction: 1 | 2,
  streamOffset: bigint,
  data: Buffer,
): KernelEvent {
  return {
    kind: "data",
    timestampNs,
    conn,
    pid: conn.tgid,
    direction,
    source: direction === 1 ? 2 : 1,
    protocol: 1,
    role: 1,
    streamOffset,
    syscallLen: data.length,
    data,
  };
}

function measureHttp(): number {
  let records = 0;
  const pipeline = new Pipeline({
    tracker: { maxConnections: 16_384, maxStreamBytes: 64 * 1024, idleTimeoutNs: 3_600_000_000_000n },
    processNames: new ProcessNames(),
    listeners: new ListeningSockets({ minRefreshIntervalMs: 60_000, maxListeners: 4096 }),
    localAddresses: new LocalAddresses(),
    onRecord: () => {
      records += 1;
    },
  });
  const nextBatch = httpBatches();
  const recordsOfOneBatch = () => {
    const before = records;
    pipeline.handleBatch(nextBatch());
    return records - before;
  };
  opsPerSecond(recordsOfOneBatch, 500); // warm-up: JIT and connection set-up
  const rate = opsPerSecond(recordsOfOneBatch, 3_000);
  if (rate === 0) throw new Error("the pipeline produced no records: the benchmark measures nothing");
  const counters = pipeline.counters();
  if (counters.parseErrors > 0 || counters.streamGaps > 0) {
    throw new Error(`unexpected parse errors ${counters.parseErrors} / gaps ${counters.streamGaps}`);
  }
  return rate;
}

writeResults("parsers", { http: measureHttp() });
