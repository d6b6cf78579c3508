// One request by id, with every observation of the same call: when both the
// client's and the server's agent traced it, the two rows are shown together.
import type { Storage } from "../storage/storage.js";
import { type RowKey, rowHash } from "./request-id.js";
import {
  REQUEST_DETAIL_COLUMNS_SQL,
  type RequestDetailRowOut,
  type RequestDetailView,
  toRequestDetailView,
} from "./request-view.js";

export interface RequestDetail {
  request: RequestDetailView;
  observations: RequestDetailView[];
}

// The two ends stamp a call with their own clocks; on one host they agree to
// microseconds, across nodes NTP keeps them within milliseconds. Five seconds
// is generous and still picks the nearest exchange on a busy keep-alive connection.
const OTHER_END_WINDOW_NS = 5_000_000_000n;

const BY_KEY_SQL = `
SELECT ${REQUEST_DETAIL_COLUMNS_SQL}
FROM requests
WHERE time = fromUnixTimestamp64Nano({time_ns:Int64}, 'UTC')
LIMIT 10000`;

const OTHER_END_SQL = `
SELECT ${REQUEST_DETAIL_COLUMNS_SQL}
FROM requests
WHERE time >= fromUnixTimestamp64Nano({low_ns:Int64}, 'UTC')
  AND time <= fromUnixTimestamp64Nano({high_ns:Int64}, 'UTC')
  AND side = {other_side:String}
  AND protocol = {protocol:String}
  AND client_ip = {client_ip:String} AND client_port = {client_port:UInt16}
  AND server_ip = {server_ip:String} AND server_port = {server_port:UInt16}
  AND operation = {operation:String} AND target = {target:String}
ORDER BY abs(toInt64(toUnixTimestamp64Nano(time)) - {time_ns:Int64})
LIMIT 1`;

export async function queryRequestDetail(storage: Storage, key: RowKey): Promise<RequestDetail | undefined> {
  // Rows of one nanosecond are few; the id's hash picks the one asked for.
  const sameTime = await storage.select<RequestDetailRowOut>(BY_KEY_SQL, { time_ns: key.timeNs });
  const row = sameTime.find((candidate) => rowHash(candidate) === key.hash);
  if (row === undefined) return undefined;
  const timeNs = BigInt(row.time_ns);
  const [other] = await storage.select<RequestDetailRowOut>(OTHER_END_SQL, {
    time_ns: row.time_ns,
    low_ns: (timeNs - OTHER_END_WINDOW_NS).toString(),
    high_ns: (timeNs + OTHER_END_WINDOW_NS).toString(),
    other_side: row.side === "client" ? "server" : "client",
    protocol: row.protocol,
    client_ip: row.client_ip,
    client_port: row.client_port,
    server_ip: row.server_ip,
    server_port: row.server_port,
    operation: row.operation,
    target: row.target,
  });
  const request = toRequestDetailView(row);
  const observations = other === undefined ? [request] : [request, toRequestDetailView(other)];
  // Client first: the order a reader follows the call in.
  observations.sort((a, b) => (a.side === b.side ? 0 : a.side === "client" ? -1 : 1));
  return { request, observations };
}
