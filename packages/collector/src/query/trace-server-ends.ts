// The server's own observation of a traced call whose server propagated
// nothing: a client span (its trace context sent, or its parent read from the
// calling thread by the agent) whose server end was traced without trace
// context has no row with its span id. That row is found the way the request
// detail finds a call's other end — same connection, protocol, operation and
// target, the nearest in time within a few seconds — and joined to the span,
// marked as joined by connection rather than by span id.
import type { Storage } from "../storage/storage.js";
import { REQUEST_COLUMNS_SQL, type RequestRowOut, type RequestView, toRequestView } from "./request-view.js";

/** Both ends stamp a call with their own clocks: on one host microseconds apart, across nodes NTP's milliseconds. */
const WINDOW_MS = 5_000;
/** Client spans looked up at most: a trace page, not a bulk join. */
export const MAX_JOINED_ENDS = 1_000;

// One read for every connection in question; the pairing is done in memory.
const SERVER_ENDS_SQL = `
SELECT ${REQUEST_COLUMNS_SQL}
FROM requests
WHERE time >= fromUnixTimestamp64Milli({from_ms:Int64}, 'UTC')
  AND time < fromUnixTimestamp64Milli({to_ms:Int64}, 'UTC')
  AND side = 'server' AND span_id = ''
  AND has({connections:Array(String)},
          concat(client_ip, '|', toString(client_port), '|', server_ip, '|', toString(server_port)))
LIMIT {limit:UInt32}`;

const connectionOf = (v: RequestView) => `${v.client.ip}|${v.client.port}|${v.server.ip}|${v.server.port}`;
const callOf = (v: RequestView) => `${v.protocol}|${v.operation}|${v.target}`;

/**
 * For each client observation in `requests` whose span has no server
 * observation, the server's row of the same call, given the span's ids.
 * Returns the joined views (to add to the trace) and their ids.
 */
export async function joinServerEnds(
  storage: Storage,
  requests: readonly RequestView[],
): Promise<{ views: RequestView[]; ids: Set<string> }> {
  const spansWithServer = new Set(requests.filter((r) => r.side === "server").map((r) => r.spanId));
  const lonely = requests
    .filter((r) => r.side === "client" && r.spanId !== "" && !spansWithServer.has(r.spanId))
    .slice(0, MAX_JOINED_ENDS);
  if (lonely.length === 0) return { views: [], ids: new Set() };
  const times = lonely.map((r) => Number(BigInt(r.timeUnixNano) / 1_000_000n));
  const connections = [...new Set(lonely.map(connectionOf))];
  const rows = await storage.select<RequestRowOut>(SERVER_ENDS_SQL, {
    from_ms: Math.min(...times) - WINDOW_MS,
    to_ms: Math.max(...times) + WINDOW_MS,
    connections,
    limit: MAX_JOINED_ENDS * 4,
  });
  const candidates = rows.map(toRequestView);
  const taken = new Set<string>();
  const views: RequestView[] = [];
  for (const client of lonely) {
    const clientNs = BigInt(client.timeUnixNano);
    let best: RequestView | undefined;
    let bestGap = BigInt(WINDOW_MS) * 1_000_000n + 1n;
    for (const server of candidates) {
      if (
        taken.has(server.id) ||
        connectionOf(server) !== connectionOf(client) ||
        callOf(server) !== callOf(client)
      )
        continue;
      const gap = BigInt(server.timeUnixNano) - clientNs;
      const distance = gap < 0n ? -gap : gap;
      if (distance < bestGap) {
        best = server;
        bestGap = distance;
      }
    }
    if (best === undefined) continue;
    taken.add(best.id);
    views.push({
      ...best,
      traceId: client.traceId,
      spanId: client.spanId,
      parentSpanId: client.parentSpanId,
    });
  }
  return { views, ids: new Set(views.map((view) => view.id)) };
}
