import type { EndpointSummary } from "./parseServiceApi";

/** "GET /cart/{id}"; a gRPC method is both operation and target, so it is said once. */
export function endpointLabel(row: Pick<EndpointSummary, "operation" | "target">): string {
  if (row.operation === row.target || row.operation === "") return row.target;
  return row.target === "" ? row.operation : `${row.operation} ${row.target}`;
}
