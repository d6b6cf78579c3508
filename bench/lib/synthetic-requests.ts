// Bulk-loads synthetic requests for the collector benchmark: one
// INSERT … SELECT … FROM numbers() per chunk, so ClickHouse generates the rows
// itself (millions per second). The map and RED read metric series, not these
// rows: synthetic-series.ts folds the loaded rows into the series agents would
// have sent. Every value is derived from hashes of the row number, so a load is
// reproducible.
//
// Shape: the edges of syntheticTopology() chosen by weight; a call to a server
// with an agent and from a client with an agent is stored twice (client and
// server side, the server a little faster); log-normal latencies around each
// edge's median; per-edge error rates; ids in paths; one trace per ~4 calls;
// times spread evenly over the window.
import type { Storage } from "@periscope/collector";
import { type SyntheticEdge, syntheticTopology } from "./synthetic-topology.js";

/** Slots for weighted edge choice: an O(1) lookup per row instead of a scan of cumulative weights. */
const SLOTS = 4096;

/** Entries are 1-based edge indexes (the SQL's arrays are 1-based). */
export function slotTable(edges: readonly SyntheticEdge[]): number[] {
  const total = edges.reduce((sum, edge) => sum + edge.weight, 0);
  const slots: number[] = [];
  edges.forEach((edge, index) => {
    const count = Math.max(1, Math.round((edge.weight / total) * SLOTS));
    for (let i = 0; i < count; i++) slots.push(index + 1);
  });
  return slots;
}

// e = the edge's 1-based index; c = call number; s = 1 for the server-side row.
const INSERT_SQL = `
INSERT INTO requests (time, agent_id, protocol, side, client_ip, client_port, client_service, client_pid,
  client_process, client_namespace, server_ip, server_port, server_service, server_pid, server_process,
  server_namespace, operation, target, status, error, duration_ns, request_bytes, response_bytes, attributes,
  trace_id, span_id, parent_span_id, truncated)
SELECT
  fromUnixTimestamp64Nano(toInt64({end_ns:Int64} - toInt64(cityHash64(c, 1) % {window_ns:UInt64})) + s * 150000) AS time,
  concat('node-', toString(cityHash64(if(s = 1, {server:Array(String)}[e], {client:Array(String)}[e])) % 24)) AS agent_id,
  {protocol:Array(String)}[e] AS protocol,
  if(s = 1, 'server', 'client') AS side,
  -- Callers from outside the cluster arrive through a few load-balancer addresses.
  if({client:Array(String)}[e] = '', concat('203.0.113.', toString(cityHash64(c, 2) % 64)),
     concat('10.20.', toString(e % 250), '.', toString(cityHash64(c, 3) % 250))) AS client_ip,
  toUInt16(20000 + cityHash64(c, 4) % 40000) AS client_port,
  {client:Array(String)}[e] AS client_service,
  toUInt32(if({client:Array(String)}[e] = '', 0, 1000 + e)) AS client_pid,
  {client:Array(String)}[e] AS client_process,
  {client_ns:Array(String)}[e] AS client_namespace,
  {server_ip:Array(String)}[e] AS server_ip,
  {server_port:Array(UInt16)}[e] AS server_port,
  {server:Array(String)}[e] AS server_service,
  toUInt32(if({server:Array(String)}[e] = '', 0, 2000 + e)) AS server_pid,
  {server:Array(String)}[e] AS server_process,
  {server_ns:Array(String)}[e] AS server_namespace,
  arrayElement({operations:Array(Array(String))}[e], 1 + cityHash64(c, 5) % length({operations:Array(Array(String))}[e])) AS operation,
  concat(arrayElement({targets:Array(Array(String))}[e], 1 + cityHash64(c, 6) % length({targets:Array(Array(String))}[e])),
         if(protocol IN ('http', 'grpc'), concat('/', toString(cityHash64(c, 7) % 5000)), '')) AS target,
  toInt32(multiIf(NOT failed, if(protocol = 'http', 200, 0), protocol = 'http', 503, protocol = 'grpc', 14, 1)) AS status,
  failed AS error,
  toUInt64(greatest(1000, {median_us:Array(UInt32)}[e] * 1000 * exp(0.8 * z) * if(s = 1, 0.9, 1.0))) AS duration_ns,
  toUInt64(200 + cityHash64(c, 8) % 2000) AS request_bytes,
  toUInt64(500 + cityHash64(c, 9) % 20000) AS response_bytes,
  if(protocol = 'http', map('http.host', if({server:Array(String)}[e] = '', server_ip, {server:Array(String)}[e])), map()) AS attributes,
  lower(concat(hex(cityHash64(intDiv(c, 4), 10)), hex(cityHash64(intDiv(c, 4), 11)))) AS trace_id,
  lower(hex(cityHash64(c, 12))) AS span_id,
  if(c % 4 = 0, '', lower(hex(cityHash64(c - 1, 12)))) AS parent_span_id,
  false AS truncated
FROM (
  SELECT
    number,
    {slots:Array(UInt16)}[1 + cityHash64(intDiv(number, 2)) % {slot_count:UInt32}] AS e,
    -- Calls seen at both ends use two consecutive numbers; otherwise every number is its own call.
    if({client_observed:Array(UInt8)}[e] = 1 AND {server_observed:Array(UInt8)}[e] = 1, intDiv(number, 2), number) AS c,
    toUInt8(multiIf({client_observed:Array(UInt8)}[e] = 0, 1, {server_observed:Array(UInt8)}[e] = 0, 0, number % 2)) AS s,
    (cityHash64(c, 13) % 1000) < {error_per_mille:Array(UInt16)}[e] AS failed,
    -- Box–Muller: a standard normal from two uniform hashes.
    sqrt(-2 * log((cityHash64(c, 14) % 1000000 + 1) / 1000001)) * cos(2 * pi() * (cityHash64(c, 15) % 1000000) / 1000000) AS z
  FROM numbers({offset:UInt64}, {count:UInt64})
)`;

export interface LoadOptions {
  rows: number;
  /** The window ends here (ms since the epoch) and reaches back windowMs. */
  endMs: number;
  windowMs: number;
  chunkRows?: number;
  onChunk?: (loaded: number) => void;
  /** The cluster the calls run in; syntheticTopology()'s default when absent. */
  edges?: SyntheticEdge[];
}

export async function loadSyntheticRequests(
  storage: Storage,
  options: LoadOptions,
): Promise<SyntheticEdge[]> {
  const edges = options.edges ?? syntheticTopology();
  const slots = slotTable(edges);
  // Strings travel as parameters; number arrays (the client would quote their
  // items, which ClickHouse does not read as numbers) and nested arrays are
  // this module's own constants, rendered as literals.
  const params = {
    end_ns: String(BigInt(options.endMs) * 1_000_000n),
    window_ns: String(BigInt(options.windowMs) * 1_000_000n),
    slot_count: slots.length,
    client: edges.map((edge) => edge.client),
    client_ns: edges.map((edge) => edge.clientNamespace),
    server: edges.map((edge) => edge.server),
    server_ns: edges.map((edge) => edge.serverNamespace),
    server_ip: edges.map((edge) => edge.serverIp),
    protocol: edges.map((edge) => edge.protocol),
  };
  const numbers = (values: number[]) => `[${values.map((value) => Math.trunc(value)).join(",")}]`;
  const strings = (list: string[]) =>
    `[${list.map((item) => `'${item.replace(/[\\']/g, "\\$&")}'`).join(",")}]`;
  const literals: Record<string, string> = {
    "{slots:Array(UInt16)}": numbers(slots),
    "{server_port:Array(UInt16)}": numbers(edges.map((edge) => edge.serverPort)),
    "{median_us:Array(UInt32)}": numbers(edges.map((edge) => edge.medianMicros)),
    "{error_per_mille:Array(UInt16)}": numbers(edges.map((edge) => edge.errorPerMille)),
    "{client_observed:Array(UInt8)}": numbers(edges.map((edge) => (edge.clientObserved ? 1 : 0))),
    "{server_observed:Array(UInt8)}": numbers(edges.map((edge) => (edge.serverObserved ? 1 : 0))),
    "{operations:Array(Array(String))}": `[${edges.map((edge) => strings(edge.operations)).join(",")}]`,
    "{targets:Array(Array(String))}": `[${edges.map((edge) => strings(edge.targets)).join(",")}]`,
  };
  let sql = INSERT_SQL;
  for (const [placeholder, literal] of Object.entries(literals)) sql = sql.replaceAll(placeholder, literal);
  const chunk = options.chunkRows ?? 1_000_000;
  for (let offset = 0; offset < options.rows; offset += chunk) {
    const count = Math.min(chunk, options.rows - offset);
    await storage.command(sql, { ...params, offset, count });
    options.onChunk?.(offset + count);
  }
  return edges;
}
