// Turns the request-search query parameters into a RequestsFilter; shared by
// search and by shared links that freeze a search's rows.
import { badRequest } from "../../../../http/api-error.js";
import { decodeCursor } from "../../../../query/request-id.js";
import type { RequestsFilter } from "../../../../query/requests-query.js";
import { parseTimeRange } from "../../../../query/time-range.js";
import type { RequestsQuery } from "./schema.js";

// Empty values mean "no filter", as a blank form field sends them.
function present(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

function millisToNanos(value: string | undefined): bigint | undefined {
  const text = present(value);
  if (text === undefined) return undefined;
  const [whole = "0", fraction = ""] = text.split(".");
  return BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, "0"));
}

export function toRequestsFilter(query: RequestsQuery): RequestsFilter {
  const minDurationNs = millisToNanos(query.minDurationMs);
  const maxDurationNs = millisToNanos(query.maxDurationMs);
  if (minDurationNs !== undefined && maxDurationNs !== undefined && minDurationNs > maxDurationNs) {
    throw badRequest("minDurationMs must not exceed maxDurationMs");
  }
  const status = present(query.status);
  if (status !== undefined && Math.abs(Number(status)) > 2_147_483_647) {
    throw badRequest("status must fit a 32-bit integer");
  }
  const error = present(query.error);
  const cursor = present(query.cursor);
  return {
    range: parseTimeRange(query),
    protocol: present(query.protocol),
    service: present(query.service),
    peer: present(query.peer),
    operation: present(query.operation),
    targetText: present(query.target),
    status: status === undefined ? undefined : Number(status),
    error: error === undefined ? undefined : error === "true",
    minDurationNs,
    maxDurationNs,
    traceId: present(query.traceId)?.toLowerCase(),
    namespace: present(query.namespace),
    workload: present(query.workload),
    pod: present(query.pod),
    node: present(query.node),
    observations: query.observations,
    limit: query.limit,
    after: cursor === undefined ? undefined : decodeCursor(cursor),
  };
}
