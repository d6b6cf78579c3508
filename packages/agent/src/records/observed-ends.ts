import type { RecordEndpoint } from "./request-record.js";

/** Who was at each end of a connection, and which end observed it. */
export interface ObservedEnds {
  side: "client" | "server";
  client: RecordEndpoint;
  server: RecordEndpoint;
}

/** First request byte to last response byte; clocks never run backwards, but a reordered batch can. */
export function durationBetween(startNs: bigint, endNs: bigint): bigint {
  return endNs >= startNs ? endNs - startNs : 0n;
}
