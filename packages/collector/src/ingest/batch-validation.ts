// Checks an Export batch before anything is stored. Records and connections:
// a batch is stored whole or not at all, so one bad record rejects it; the
// reason names the record. Metric series are checked one by one
// (seriesRejection): a bad one is left out and counted with its reason while
// the rest of the batch is stored, so the agent does not resend it forever.
import {
  type ConnectionStats,
  type Endpoint,
  type ExponentialHistogram,
  type ExportRequest,
  isProtocolName,
  LATENCY_SCALE,
  type MetricSeries,
  type RequestRecord,
  SeriesKind,
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

function endpointProblem(label: string, endpoint: Endpoint | undefined, host = ""): string | undefined {
  if (endpoint === undefined) return `${label} endpoint is missing`;
  if (endpoint.ip === "" && endpoint.service === "" && host === "")
    return `${label} endpoint needs an ip, a service or a host name`;
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
  // 0 is "1" (an agent from before sampling); below 1 would stand for less than the record itself.
  const weight = record.sampleWeight;
  if (!Number.isFinite(weight) || (weight !== 0 && weight < 1))
    return "sample_weight must be 0 or at least 1";
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

/** Why a series was left out; the collector counts rejections by these. */
export const SERIES_REJECTION_REASONS = [
  "unknown_kind",
  "unknown_side",
  "unknown_protocol",
  "bad_time",
  "bad_endpoint",
  "field_too_long",
  "errors_above_count",
  "value_too_large",
  "histogram_scale",
  "histogram_range",
  "histogram_total",
] as const;

export type SeriesRejectionReason = (typeof SERIES_REJECTION_REASONS)[number];

export interface SeriesRejection {
  reason: SeriesRejectionReason;
  detail: string;
}

// A uint64 field read as a number must stay exact: a negative int64 sent as
// uint64 shows up as ~1.8e19, and anything from 2^53 on is not a real count.
const MAX_EXACT = 2n ** 53n;
const MAX_SCALE = 20;
// Durations are whole nanoseconds from 1 to 2^64: at scale s, bucket -1
// holds 1 ns, bucket 64·2^s − 1 ends at 2^64.
const lowestBucket = -1;
const highestBucket = (scale: number) => 64 * 2 ** scale - 1;
const MAX_OPERATION_LENGTH = 256;
const MAX_TARGET_LENGTH = 1024;
const MAX_STATUS_CLASS_LENGTH = 16;
const MAX_SERIES_INTERVAL_NANOS = 60n * NANOS_PER_SECOND;

const reject = (reason: SeriesRejectionReason, detail: string): SeriesRejection => ({ reason, detail });

function histogramRejection(
  latency: ExponentialHistogram | undefined,
  count: bigint,
): SeriesRejection | undefined {
  if (latency === undefined) {
    return count === 0n ? undefined : reject("histogram_total", "latency is missing for a non-zero count");
  }
  if (latency.scale < LATENCY_SCALE || latency.scale > MAX_SCALE) {
    return reject(
      "histogram_scale",
      `latency scale ${latency.scale} is outside ${LATENCY_SCALE}..${MAX_SCALE}`,
    );
  }
  const last = latency.offset + latency.bucketCounts.length - 1;
  if (latency.offset < lowestBucket || last > highestBucket(latency.scale)) {
    return reject(
      "histogram_range",
      `latency buckets ${latency.offset}..${last} are outside ${lowestBucket}..${highestBucket(latency.scale)} at scale ${latency.scale}`,
    );
  }
  let total = latency.zeroCount;
  for (const bucket of latency.bucketCounts) total += bucket;
  if (total !== count) return reject("histogram_total", `latency holds ${total} values, count is ${count}`);
  return undefined;
}

/** Undefined when the series can be stored; else why not. */
export function seriesRejection(
  series: MetricSeries,
  nowMs: number = Date.now(),
): SeriesRejection | undefined {
  const nowNanos = BigInt(Math.trunc(nowMs)) * 1_000_000n;
  if (series.kind !== SeriesKind.EDGE && series.kind !== SeriesKind.ENDPOINT) {
    return reject("unknown_kind", `kind ${series.kind} is neither EDGE nor ENDPOINT`);
  }
  if (series.side !== Side.CLIENT && series.side !== Side.SERVER) {
    return reject("unknown_side", "side must be SIDE_CLIENT or SIDE_SERVER");
  }
  if (!isProtocolName(series.protocol)) {
    return reject(
      "unknown_protocol",
      `protocol "${series.protocol.slice(0, MAX_PROTOCOL_LENGTH)}" is not known`,
    );
  }
  if (series.startTimeUnixNano < EARLIEST_START_NANOS)
    return reject("bad_time", "start is before the year 2000");
  if (series.startTimeUnixNano > nowNanos + ALLOWED_FUTURE_SKEW_NANOS) {
    return reject("bad_time", "start is more than an hour in the future");
  }
  if (series.intervalNano > MAX_SERIES_INTERVAL_NANOS)
    return reject("bad_time", "interval is longer than a minute");
  // No endpoint at all is an agent's catch-all series past its series cap
  // (metric-series-row.ts names it); one that is present must be usable: an
  // address, a service, or the name the agent gave the peer (client_host /
  // server_host: a DNS name, an address block, "{overflow}"; issue #15).
  const endpoint =
    (series.server === undefined ? undefined : endpointProblem("server", series.server, series.serverHost)) ??
    (series.kind === SeriesKind.EDGE && series.client !== undefined
      ? endpointProblem("client", series.client, series.clientHost)
      : undefined);
  if (endpoint !== undefined) return reject("bad_endpoint", endpoint);
  if (
    series.operation.length > MAX_OPERATION_LENGTH ||
    series.target.length > MAX_TARGET_LENGTH ||
    series.statusClass.length > MAX_STATUS_CLASS_LENGTH
  ) {
    return reject(
      "field_too_long",
      `operation, target or status_class longer than ${MAX_OPERATION_LENGTH}, ${MAX_TARGET_LENGTH} or ${MAX_STATUS_CLASS_LENGTH} characters`,
    );
  }
  const values = {
    count: series.count,
    errors: series.errors,
    request_bytes: series.requestBytes,
    response_bytes: series.responseBytes,
    duration_sum_nano: series.durationSumNano,
    zero_count: series.latency?.zeroCount ?? 0n,
  };
  for (const [name, value] of Object.entries(values)) {
    if (value >= MAX_EXACT)
      return reject("value_too_large", `${name} ${value} is not below 2^53 (a negative number?)`);
  }
  if ((series.latency?.bucketCounts ?? []).some((bucket) => bucket >= MAX_EXACT)) {
    return reject("value_too_large", "a latency bucket count is not below 2^53 (a negative number?)");
  }
  if (series.errors > series.count) {
    return reject("errors_above_count", `errors ${series.errors} are more than count ${series.count}`);
  }
  return histogramRejection(series.latency, series.count);
}
