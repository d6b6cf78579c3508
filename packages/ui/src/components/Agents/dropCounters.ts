// What each of the agent's counters (proto DropCounters, camelCase as the API
// names them) means to an operator. Two are not losses but sampling the operator
// asked for; they are shown apart so a sampled fleet does not look broken.

export interface CounterInfo {
  label: string;
  /** False for sampling the config asked for (nothing was lost). */
  loss: boolean;
  unit: "events" | "bytes";
}

export const DROP_COUNTERS: Record<string, CounterInfo> = {
  ringbufFull: { label: "Ring buffer full (kernel events lost)", loss: true, unit: "events" },
  connMapFull: { label: "Connection map full", loss: true, unit: "events" },
  streamGaps: { label: "Stream gaps", loss: true, unit: "events" },
  parseErrors: { label: "Parse errors", loss: true, unit: "events" },
  exportQueueFull: { label: "Export queue full", loss: true, unit: "events" },
  kernelReadFailed: { label: "Kernel read failed", loss: true, unit: "events" },
  recordsMalformed: { label: "Malformed ring-buffer records", loss: true, unit: "events" },
  uncapturedBytes: { label: "Uncaptured bytes", loss: true, unit: "bytes" },
  streamOverflowBytes: { label: "Reassembly overflow", loss: true, unit: "bytes" },
  unansweredRequests: { label: "Unanswered requests", loss: true, unit: "events" },
  connectionsEvicted: { label: "Connections evicted", loss: true, unit: "events" },
  connectionsDisabled: { label: "Connections given up on", loss: true, unit: "events" },
  parserResyncs: { label: "Parser resyncs", loss: true, unit: "events" },
  tcpStatsMapFull: { label: "TCP stats map full", loss: true, unit: "events" },
  tcpStatsClosedReplaced: { label: "TCP stats of reused sockets lost", loss: true, unit: "events" },
  tlsCallsFull: { label: "TLS call map full", loss: true, unit: "events" },
  tlsNoSocket: { label: "TLS without a socket", loss: true, unit: "events" },
  connectionStatsDropped: { label: "TCP health records dropped", loss: true, unit: "events" },
  mmsgMessagesTruncated: { label: "sendmmsg/recvmmsg messages past 16", loss: true, unit: "events" },
  disabledPayloadEvents: { label: "Events of disabled connections", loss: true, unit: "events" },
  connectionDisableFailed: { label: "Connection disables refused", loss: true, unit: "events" },
  connectionsSampledOut: { label: "Connections sampled out (config)", loss: false, unit: "events" },
  recordsSampledOut: { label: "Records over the record budget (config)", loss: false, unit: "events" },
  metricSeriesDropped: { label: "Metric series dropped", loss: true, unit: "events" },
  endpointOverflow: { label: "Endpoints folded (cap reached)", loss: true, unit: "events" },
  batchesRejected: { label: "Batches rejected", loss: true, unit: "events" },
  spoolFilesCorrupt: { label: "Corrupt spool files", loss: true, unit: "events" },
  spoolBatchesDropped: { label: "Spool batches dropped (bound)", loss: true, unit: "events" },
  peerOverflow: { label: "Peers folded (cap reached)", loss: true, unit: "events" },
  recordsShedMemory: { label: "Records shed (memory pressure)", loss: true, unit: "events" },
};

/** A counter the UI does not know yet still shows, under its API name. */
export function counterInfo(name: string): CounterInfo {
  return DROP_COUNTERS[name] ?? { label: name, loss: true, unit: "events" };
}
