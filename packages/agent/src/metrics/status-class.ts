// The status split of a metric series. HTTP/1 and HTTP/2 records carry the
// response's HTTP status, so their class is "1xx".."5xx". gRPC records carry
// grpc-status in `status` (http2-record.ts), not :status — and a gRPC server
// answers HTTP 200 for failed calls too — so gRPC is split by the record's own
// error rule (any grpc-status but OK) into "ok" and "error", like every other
// protocol. A response without a status (an HTTP/2 stream reset before its
// headers) is "error" or "ok" by the same rule.

import type { RequestRecord } from "../records/request-record.js";

const HTTP_CLASSES = ["1xx", "2xx", "3xx", "4xx", "5xx"] as const;

export type StatusClass = (typeof HTTP_CLASSES)[number] | "ok" | "error";

export function statusClassOf(record: Pick<RequestRecord, "protocol" | "status" | "error">): StatusClass {
  if (
    (record.protocol === "http" || record.protocol === "http2") &&
    record.status >= 100 &&
    record.status < 600
  ) {
    return HTTP_CLASSES[Math.floor(record.status / 100) - 1] as StatusClass;
  }
  return record.error ? "error" : "ok";
}
