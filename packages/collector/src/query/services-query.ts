// The services list is the service map's node set: same naming and counting
// rules, so the list and the map never disagree about a service's figures.

import type { Storage } from "../storage/storage.js";
import { queryServiceMap } from "./service-map-query.js";
import type { TimeRange } from "./time-range.js";

export interface ServiceSummary {
  name: string;
  namespace?: string;
  requestCount: number;
  errorCount: number;
}

/** With `namespace`, only the services of that Kubernetes namespace. */
export async function queryServices(
  storage: Storage,
  range: TimeRange,
  namespace?: string,
): Promise<ServiceSummary[]> {
  // The map's namespace filter keeps edges with either end in it; the list keeps the nodes in it.
  const map = await queryServiceMap(storage, { range, namespace });
  const nodes =
    namespace === undefined ? map.nodes : map.nodes.filter((node) => node.namespace === namespace);
  return nodes.map((node) => ({
    name: node.id,
    ...(node.namespace === undefined ? {} : { namespace: node.namespace }),
    requestCount: node.requestCount,
    errorCount: node.errorCount,
  }));
}
