// Checks an Export batch before anything is stored. A batch is stored whole
// or not at all, so one bad record rejects it; the reason names the record.
import {
  type ConnectionStats,
  type Endpoint,
  type ExportRequest,
  type RequestRecord,
  Side,
} from "@periscope/proto";

export type BatchVerdict = { ok: true } | { ok: false; reason: string };

const MAX_AGENT_ID_LENGTH = 256;
const MAX_PROTOCOL_LENGTH = 64;
const MAX_REASONS = 5;
const NANOS_PER_SECOND = 1_000_000_000n;
// Anything earlier is a zero or garbage clock, not a real capture time.
const EARLIEST_START_NANOS = 946_684_800n * NANOS_PER_SECOND; // 2000-01-01T00:00:00Z
// Agents' clocks drift; a little skew is normal, hours ahead is a broken clock.
const ALLOWED_FUTURE_SKEW_NANOS = 3_600n * NANOS_PER_SECOND;
// Longer than a day is a pairing bug (a response matched to a stale request).
const MAX_DURATION_NANOS = 86_400n * NANOS_PER_SECOND;

function endpointProblem(label: string, endpoint: Endpoint | undefined): string | undefined {
  if (endpoint === undefined) return `${label} endpoint is missing`;
  if (endpoint.ip === "" && endpoint.service === "") return `${label} endpoint needs an ip or a service`;
  if (endpoint.port > 65_535) return `${label} port ${endpoint.port} is above 65535`;
  return undefined;
}

function recordProblem(record: RequestRecord, nowNanos: bigint): string | undefined {
  if (record.protocol === "") return "protocol is empty";
  if (record.protocol.length > MAX_PROTOCOL_LENGTH)
    return `protocol is longer than ${MAX_PROTOCOL_LENGTH} characters`;
  if (record.side !== Side.CLIENT && record.side !== Side.SERVER)
    return "side must be SIDE_CLIENT or SIDE_SERVER";
  if (record.startTimeUnixNano < EARLIEST_START_NANOS) return "start_time_unix_nano is before the year 2000";
  if (record.startTimeUnixNano > nowNanos + ALLOWED_FUTURE_SKEW_NANOS) {
    return "start_time_unix_nano is more than an hour in the future";
  }
  if (record.durationNano > MAX_DURATION_NANOS) return "duration_nano is longer than a day";
  return endpointProblem("client", record.client) ?? endpointProblem("server", record.server);
}

const MAX_STATE_LENGTH = 32;

function connectionProblem(stats: ConnectionStats, nowNanos: bigint): string | undefined {
  if (stats.timeUnixNano < EARLIEST_START_NANOS) return "time_unix_nano is before the year 2000";
  if (stats.timeUnixNano > nowNanos + ALLOWED_FUTURE_SKEW_NANOS)
    return "time_unix_nano is more than an hour in the future";
  if (stats.state.length > MAX_STATE_LENGTH) return `state is longer than ${MAX_STATE_LENGTH} characters`;
  if ((stats.local?.port ?? 0) > 65_535 || (stats.remote?.port ?? 0) > 65_535) return "a port is above 65535";
  return undefined;
}

export function validateExportRequest(request: ExportRequest, nowMs: number = Date.now()): BatchVerdict {
  if (request.agentId.trim() === "") return { ok: false, reason: "agent_id is empty" };
  if (request.agentId.length > MAX_AGENT_ID_LENGTH) {
    return { ok: false, reason: `agent_id is longer than ${MAX_AGENT_ID_LENGTH} characters` };
  }
  const nowNanos = BigInt(Math.trunc(nowMs)) * 1_000_000n;
  const reasons: string[] = [];
  let badRecords = 0;
  request.requests.forEach((record, index) => {
    const problem = recordProblem(record, nowNanos);
    if (problem === undefined) return;
    badRecords += 1;
    if (reasons.length < MAX_REASONS) reasons.push(`requests[${index}]: ${problem}`);
  });
  request.connections.forEach((stats, index) => {
    const problem = connectionProblem(stats, nowNanos);
    if (problem === undefined) return;
    badRecords += 1;
    if (reasons.length < MAX_REASONS) reasons.push(`connections[${index}]: ${problem}`);
  });
  if (badRecords === 0) return { ok: true };
  const more = badRecords > reasons.length ? ` (and ${badRecords - reasons.length} more)` : "";
  return { ok: false, reason: `${badRecords} invalid record(s): ${reasons.join("; ")}${more}` };
}
