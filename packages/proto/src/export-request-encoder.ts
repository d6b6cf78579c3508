// ExportRequest to bytes without protobuf-es's reflection: toBinary walks the
// schema for every field of every record (~31 µs per RequestRecord, a quarter
// of the agent's JS time under load in bench/suites/agent-overhead.ts), where
// these straight-line writers do the same in a fraction. The collector decodes
// with the mirror image (export-request-decoder.ts).
//
// Every field of the schema must be written here: a test in
// export-request-encoder.test.ts sets each field of
// every message reachable from ExportRequestSchema in turn and fails on one
// that does not come back through fromBinary.
import type {
  AgentInfo,
  ConnectionStats,
  DropCounters,
  Endpoint,
  ExponentialHistogram,
  ExportBacklog,
  ExportRequest,
  MetricSeries,
  ProfileSamples,
  RequestRecord,
} from "./gen/periscope/agent/v1/ingest_pb.js";
import { ProtoWriter } from "./proto-writer.js";

const LENGTH_DELIMITED = 2;

// One writer for the process: requests are encoded one at a time and copied out.
const writer = new ProtoWriter();

/** The wire-format bytes of `request`; fromBinary(ExportRequestSchema, …) reads it back equal. */
export function encodeExportRequest(request: ExportRequest): Buffer {
  const w = writer;
  w.reset();
  w.stringField(1, request.agentId);
  w.uint64Field(2, request.batchSeq);
  if (request.agent !== undefined) {
    const at = w.beginMessageField(3);
    writeAgentInfo(w, request.agent);
    w.endLengthDelimited(at);
  }
  for (const record of request.requests) {
    const at = w.beginMessageField(4);
    writeRequestRecord(w, record);
    w.endLengthDelimited(at);
  }
  for (const connection of request.connections) {
    const at = w.beginMessageField(5);
    writeConnectionStats(w, connection);
    w.endLengthDelimited(at);
  }
  for (const series of request.metrics) {
    const at = w.beginMessageField(6);
    writeMetricSeries(w, series);
    w.endLengthDelimited(at);
  }
  for (const profile of request.profiles) {
    const at = w.beginMessageField(7);
    writeProfileSamples(w, profile);
    w.endLengthDelimited(at);
  }
  return w.finish();
}

function writeAgentInfo(w: ProtoWriter, agent: AgentInfo): void {
  w.stringField(1, agent.hostname);
  w.stringField(2, agent.version);
  w.stringField(3, agent.kernel);
  if (agent.drops !== undefined) {
    const at = w.beginMessageField(4);
    writeDropCounters(w, agent.drops);
    w.endLengthDelimited(at);
  }
  if (agent.backlog !== undefined) {
    const at = w.beginMessageField(5);
    writeExportBacklog(w, agent.backlog);
    w.endLengthDelimited(at);
  }
  for (const problem of agent.captureProblems) {
    const at = w.beginMessageField(6);
    w.stringField(1, problem.feature);
    w.stringField(2, problem.reason);
    w.endLengthDelimited(at);
  }
  if (agent.activity !== undefined) {
    const at = w.beginMessageField(7);
    w.uint64Field(1, agent.activity.events);
    w.uint64Field(2, agent.activity.records);
    w.uint64Field(3, agent.activity.recordsSent);
    w.endLengthDelimited(at);
  }
}

function writeExportBacklog(w: ProtoWriter, b: ExportBacklog): void {
  w.uint32Field(1, b.pendingBatches);
  w.uint32Field(2, b.inFlightBatches);
  w.uint64Field(3, b.oldestPendingAgeMs);
  w.uint32Field(4, b.spoolBatches);
  w.uint64Field(5, b.spoolBytes);
  w.uint64Field(6, b.spoolOldestAgeMs);
}

function writeDropCounters(w: ProtoWriter, d: DropCounters): void {
  w.uint64Field(1, d.ringbufFull);
  w.uint64Field(2, d.connMapFull);
  w.uint64Field(3, d.streamGaps);
  w.uint64Field(4, d.parseErrors);
  w.uint64Field(5, d.exportQueueFull);
  w.uint64Field(6, d.kernelReadFailed);
  w.uint64Field(7, d.recordsMalformed);
  w.uint64Field(8, d.uncapturedBytes);
  w.uint64Field(9, d.streamOverflowBytes);
  w.uint64Field(10, d.unansweredRequests);
  w.uint64Field(11, d.connectionsEvicted);
  w.uint64Field(12, d.connectionsDisabled);
  w.uint64Field(13, d.parserResyncs);
  w.uint64Field(14, d.tcpStatsMapFull);
  w.uint64Field(15, d.tcpStatsClosedReplaced);
  w.uint64Field(16, d.tlsCallsFull);
  w.uint64Field(17, d.tlsNoSocket);
  w.uint64Field(18, d.connectionStatsDropped);
  w.uint64Field(20, d.mmsgMessagesTruncated);
  w.uint64Field(21, d.disabledPayloadEvents);
  w.uint64Field(22, d.connectionDisableFailed);
  w.uint64Field(23, d.connectionsSampledOut);
  w.uint64Field(24, d.recordsSampledOut);
  w.uint64Field(25, d.metricSeriesDropped);
  w.uint64Field(26, d.endpointOverflow);
  w.uint64Field(27, d.batchesRejected);
  w.uint64Field(28, d.spoolFilesCorrupt);
  w.uint64Field(29, d.spoolBatchesDropped);
  w.uint64Field(30, d.peerOverflow);
  w.uint64Field(31, d.recordsShedMemory);
}

function writeEndpoint(w: ProtoWriter, field: number, e: Endpoint | undefined): void {
  if (e === undefined) return;
  const at = w.beginMessageField(field);
  w.stringField(1, e.ip);
  w.uint32Field(2, e.port);
  w.stringField(3, e.service);
  w.uint32Field(4, e.pid);
  w.stringField(5, e.processName);
  w.stringField(6, e.containerId);
  w.stringField(7, e.cmdline);
  w.stringField(8, e.exe);
  w.uint64Field(9, e.processStartTimeUnixMs);
  w.endLengthDelimited(at);
}

function writeRequestRecord(w: ProtoWriter, r: RequestRecord): void {
  w.stringField(1, r.protocol);
  w.int32Field(2, r.side);
  w.fixed64Field(3, r.startTimeUnixNano);
  w.uint64Field(4, r.durationNano);
  writeEndpoint(w, 5, r.client);
  writeEndpoint(w, 6, r.server);
  w.stringField(7, r.operation);
  w.stringField(8, r.target);
  w.int32Field(9, r.status);
  w.boolField(10, r.error);
  w.uint64Field(11, r.requestBytes);
  w.uint64Field(12, r.responseBytes);
  for (const key in r.attributes) {
    // Map entries are messages of key = 1, value = 2, both always written, as protobuf-es does.
    const at = w.beginMessageField(13);
    w.tag(1, LENGTH_DELIMITED);
    w.string(key);
    w.tag(2, LENGTH_DELIMITED);
    w.string(r.attributes[key] as string);
    w.endLengthDelimited(at);
  }
  w.stringField(14, r.traceId);
  w.stringField(15, r.spanId);
  w.stringField(16, r.parentSpanId);
  w.boolField(17, r.truncated);
  w.doubleField(18, r.sampleWeight);
}

function writeMetricSeries(w: ProtoWriter, m: MetricSeries): void {
  w.int32Field(1, m.kind);
  w.fixed64Field(2, m.startTimeUnixNano);
  w.uint64Field(3, m.intervalNano);
  w.stringField(4, m.protocol);
  w.int32Field(5, m.side);
  writeEndpoint(w, 6, m.client);
  writeEndpoint(w, 7, m.server);
  w.stringField(8, m.serverHost);
  w.stringField(9, m.operation);
  w.stringField(10, m.target);
  w.stringField(11, m.statusClass);
  w.uint64Field(12, m.count);
  w.uint64Field(13, m.errors);
  w.uint64Field(14, m.requestBytes);
  w.uint64Field(15, m.responseBytes);
  w.uint64Field(16, m.durationSumNano);
  if (m.latency !== undefined) {
    const at = w.beginMessageField(17);
    writeHistogram(w, m.latency);
    w.endLengthDelimited(at);
  }
  w.stringField(18, m.clientNamespace);
  w.stringField(19, m.clientWorkload);
  w.stringField(20, m.serverNamespace);
  w.stringField(21, m.serverWorkload);
  w.stringField(22, m.clientHost);
}

function writeHistogram(w: ProtoWriter, h: ExponentialHistogram): void {
  w.sint32Field(1, h.scale);
  w.uint64Field(2, h.zeroCount);
  w.sint32Field(3, h.offset);
  w.packedUint64Field(4, h.bucketCounts);
}

function writeConnectionStats(w: ProtoWriter, c: ConnectionStats): void {
  w.fixed64Field(1, c.timeUnixNano);
  w.uint64Field(2, c.intervalNano);
  w.int32Field(3, c.role);
  writeEndpoint(w, 4, c.local);
  writeEndpoint(w, 5, c.remote);
  w.uint64Field(6, c.bytesSent);
  w.uint64Field(7, c.bytesReceived);
  w.uint32Field(8, c.retransmits);
  w.uint32Field(9, c.resetsSent);
  w.uint32Field(10, c.resetsReceived);
  w.uint32Field(11, c.stateChanges);
  w.boolField(12, c.connectFailed);
  w.uint64Field(13, c.connectDurationNano);
  w.uint32Field(14, c.srttUs);
  w.stringField(15, c.state);
  w.boolField(16, c.opened);
  w.boolField(17, c.closed);
  w.fixed64Field(18, c.connectionId);
}

function writeProfileSamples(w: ProtoWriter, p: ProfileSamples): void {
  w.fixed64Field(1, p.startTimeUnixNano);
  w.uint64Field(2, p.intervalNano);
  w.uint32Field(3, p.rateHz);
  for (const stack of p.stacks) {
    const at = w.beginMessageField(4);
    w.fixed64Field(1, stack.hash);
    // Repeated strings keep their empty elements (no implicit-presence skip).
    for (const frame of stack.frames) {
      w.tag(2, LENGTH_DELIMITED);
      w.string(frame);
    }
    w.endLengthDelimited(at);
  }
  for (const sample of p.samples) {
    const at = w.beginMessageField(5);
    w.uint32Field(1, sample.pid);
    w.stringField(2, sample.process);
    w.stringField(3, sample.service);
    w.fixed64Field(4, sample.stackHash);
    w.uint64Field(5, sample.samples);
    w.stringField(6, sample.containerId);
    w.endLengthDelimited(at);
  }
}
