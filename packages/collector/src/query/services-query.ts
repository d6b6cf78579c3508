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

export async function queryServices(storage: Storage, range: TimeRange): Promise<ServiceSummary[]> {
  const map = await queryServiceMap(storage, { range });
  return map.nodes.map((node) => ({
    name: node.id,
    ...(node.namespace === undefined ? {} : { namespace: node.namespace }),
    requestCount: node.requestCount,
    errorCount: node.errorCount,
  }));
}
