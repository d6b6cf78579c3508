// periscope-agent: kernel capture → connection tracking → parsers → records → collector.
import { readFileSync } from "node:fs";
import { release } from "node:os";
import {
  AgentActivitySchema,
  type AgentInfo,
  AgentInfoSchema,
  CaptureProblemSchema,
  create,
  DropCountersSchema,
  ExportBacklogSchema,
} from "@periscope/proto";
import type { DecoderCounters } from "./capture/decoder.js";
import { type KernelDropCounters, ZERO_KERNEL_DROPS } from "./capture/events.js";
import { defaultBpfObjectPath, SocketTracer } from "./capture/socket-tracer.js";
import { ConfigError, loadConfig } from "./config.js";
import { buildAgentStats } from "./control/agent-stats.js";
import { CaptureStats } from "./control/capture-stats.js";
import { CollectorControlStream } from "./control/collector-control-stream.js";
import { kernelConnectionDisabler } from "./control/connection-disabler.js";
import { type ControlPlane, startControlPlane } from "./control/control-plane.js";
import { Readiness } from "./control/readiness.js";
import { collectorCredentials, plaintextTokenWarning } from "./export/collector-credentials.js";
import { Exporter } from "./export/exporter.js";
import { loadTcpHealthConfig, type TcpHealthConfig } from "./health/health-config.js";
import { defaultTcpHealthObjectPath } from "./health/tcp-health-monitor.js";
import { TcpHealthReporter } from "./health/tcp-health-reporter.js";
import { boundsForLimit } from "./memory/memory-budget.js";
import { MemoryGuard } from "./memory/memory-guard.js";
import { resolveMemoryLimit } from "./memory/memory-limit.js";
import { observeProcesses, withProcessInfo } from "./metadata/endpoint-process.js";
import { ListeningSockets } from "./metadata/listening-sockets.js";
import { LocalAddresses } from "./metadata/local-addresses.js";
import { PeerNames } from "./metadata/peer-names.js";
import { loadPeerNamingConfig, type PeerNamingConfig } from "./metadata/peer-naming-config.js";
import { ProcessInfoCache } from "./metadata/process-info.js";
import { ProcessNames } from "./metadata/process-names.js";
import { lookupSocketEndpoints } from "./metadata/socket-endpoints.js";
import { SeriesAggregator } from "./metrics/series-aggregator.js";
import { Pipeline } from "./pipeline.js";
import { CaptureProblems } from "./preflight/capture-problems.js";
import { runPreflight } from "./preflight/preflight.js";
import { loadProfileConfig, type ProfileConfig } from "./profiler/profile-config.js";
import type { Profiler } from "./profiler/profiler.js";
import { startProfiler } from "./profiler/start-profiler.js";
import { traceParentRejections } from "./protocols/http1/trace-context.js";
import { MonotonicClock } from "./records/monotonic-clock.js";
import { toProtoRecord } from "./records/to-proto.js";
import { RecordSampler } from "./sampling/record-sampler.js";
import { findPeriscopeProcesses } from "./self-exclusion/periscope-processes.js";
import { startTlsCapture, tlsScanIntervalMs } from "./tls/tls-capture.js";

// What /proc/PID/comm shows, so service names say what this is and other
// agents leave it out of capture (self-exclusion/periscope-processes.ts).
process.title = "periscope-agent";

const IDLE_CHECK_INTERVAL_MS = 5_000;
/** Closed metric intervals are handed to the exporter this often (intervals are 1–10 s). */
const METRICS_DRAIN_INTERVAL_MS = 1_000;
const CONNECTION_IDLE_TIMEOUT_NS = 5n * 60n * 1_000_000_000n;

function agentVersion(): string {
  try {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      version?: string;
    };
    return manifest.version ?? "unknown";
  } catch {
    return "unknown";
  }
}

/** The exporter's backlog as AgentInfo.backlog carries it (64-bit fields as bigint). */
function exportBacklogWire(backlog: ReturnType<Exporter["backlog"]>) {
  return {
    pendingBatches: backlog.pendingBatches,
    inFlightBatches: backlog.inFlightBatches,
    oldestPendingAgeMs: BigInt(backlog.oldestPendingAgeMs),
    spoolBatches: backlog.spoolBatches,
    spoolBytes: BigInt(backlog.spoolBytes),
    spoolOldestAgeMs: BigInt(backlog.spoolOldestAgeMs),
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`periscope-agent: invalid configuration: ${error.message}`);
  process.exit(2);
}
let peerNaming: PeerNamingConfig;
try {
  peerNaming = loadPeerNamingConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`periscope-agent: invalid configuration: ${error.message}`);
  process.exit(2);
}
let tcpHealthConfig: TcpHealthConfig;
let tlsScanMs: number;
let profileConfig: ProfileConfig;
try {
  tcpHealthConfig = loadTcpHealthConfig(process.env);
  profileConfig = loadProfileConfig(process.env);
  tlsScanMs = tlsScanIntervalMs(process.env);
} catch (error) {
  console.error(`periscope-agent: invalid configuration: ${messageOf(error)}`);
  process.exit(2);
}
// Queues and tables sized to fit under the memory limit (memory/); the defaults without one.
const memoryLimit = resolveMemoryLimit(config.memoryLimitBytes);
const bufferBounds = boundsForLimit(memoryLimit?.bytes);
let tcpHealth: TcpHealthReporter | undefined;
let profiler: Profiler | undefined;
let tlsCapture: ReturnType<typeof startTlsCapture>;

// Everything the node lacks, named at once (preflight/): exit when capture is
// impossible; otherwise run with those features off, as errors in the log and
// in AgentInfo.capture_problems.
const kernelPaths = {
  ...(config.btfPath === undefined ? {} : { btfPath: config.btfPath }),
  ...(config.tracefsPath === undefined ? {} : { tracefsPath: config.tracefsPath }),
};
const tcpHealthObject = defaultTcpHealthObjectPath();
const preflight = runPreflight({
  ...kernelPaths,
  socketTraceObject: config.bpfObjectPath ?? defaultBpfObjectPath(),
  tcpHealthObject,
});
if (preflight.report.fatal.length > 0) {
  console.error(`periscope-agent: ${preflight.message}`);
  process.exit(1);
}
if (preflight.message !== "") console.error(`periscope-agent: error: ${preflight.message}`);
const captureProblems = new CaptureProblems();
for (const finding of preflight.report.degraded) captureProblems.add(finding, true);

const clock = MonotonicClock.measure();
const version = agentVersion();
let tracer: SocketTracer | undefined;
// The tracer's counters, kept when it closes: the last export still reports them.
let finalKernelDrops: KernelDropCounters = ZERO_KERNEL_DROPS;
let finalDecoderCounters: DecoderCounters | undefined;
let finalTlsDrops = { callsFull: 0n, noSocket: 0n };
const captureStats = new CaptureStats();
const processInfo = new ProcessInfoCache({ maxProcesses: 4096 });
let controlPlane: ControlPlane | undefined;
// The collector's config push (ControlService), applied through controlPlane.controls.
let controlStream: CollectorControlStream | undefined;
// Every record is folded into the metric series; the sampler then decides
// whether it also travels as a record, within the record budget.
// Peers no process was found for are named (DNS, else their block) before
// they are folded, and each service keeps a bounded set of them (issue #15).
const peerNames = new PeerNames(peerNaming);
const metrics = new SeriesAggregator({
  intervalMs: config.metricsIntervalMs,
  maxPeersPerService: peerNaming.maxPeersPerService,
  isInternalAddress: (ip) => peerNames.isInternal(ip),
  // Series carry a local end's container as records do (from the same cache), so the
  // collector can name a host-network pod's series, whose IP is its node's (issue #13).
  // peek first: a hit leaves the LRU order alone (records' get() keeps it); a miss reads /proc.
  containerIdOf: (pid) => (processInfo.peek(pid) ?? processInfo.get(pid))?.containerId ?? "",
});
const sampler = new RecordSampler({ budgetPerSecond: config.recordBudgetPerSecond });

const pipeline = new Pipeline({
  tracker: {
    maxConnections: bufferBounds.maxConnections,
    maxStreamBytes: 64 * 1024,
    idleTimeoutNs: CONNECTION_IDLE_TIMEOUT_NS,
    lookupEndpoints: lookupSocketEndpoints,
  },
  processNames: new ProcessNames(),
  listeners: new ListeningSockets({ minRefreshIntervalMs: 5_000, maxListeners: 4096 }),
  localAddresses: new LocalAddresses(),
  onRecord: (record) => {
    peerNames.learn(record);
    peerNames.name(record);
    const slowAboveNs = metrics.fold(record);
    // Short of memory, a record is counted in the series only (memory/memory-guard.ts).
    if (memoryGuard?.admitRecord() === false) return;
    const weight = sampler.decide(record, slowAboveNs);
    if (weight > 0) exporter.add(withProcessInfo(toProtoRecord(record, clock, weight), processInfo));
  },
  redaction: config.redaction,
  // A connection the parsers give up on is no longer copied by the kernel
  // either. Spread so the agent builds whether or not this Pipeline has the hook.
  ...{ onConnectionDisabled: kernelConnectionDisabler(() => tracer, captureStats) },
});

function agentInfo(): AgentInfo {
  const kernel = tracer?.dropCounters() ?? finalKernelDrops;
  const userSpace = pipeline.counters();
  const decoder = tracer?.decoderCounters() ?? finalDecoderCounters;
  return create(AgentInfoSchema, {
    // The node name (downward API) in a cluster: the collector records it as the node of this host's processes.
    hostname: config.nodeName,
    version,
    kernel: release(),
    drops: create(DropCountersSchema, {
      ringbufFull: kernel.ringbufFull,
      connMapFull: kernel.connMapFull,
      streamGaps: BigInt(userSpace.streamGaps),
      parseErrors: BigInt(userSpace.parseErrors),
      exportQueueFull: BigInt(exporter.counters.recordsDropped),
      kernelReadFailed: kernel.readFailed,
      mmsgMessagesTruncated: kernel.mmsgTruncated,
      disabledPayloadEvents: kernel.disabledPayload,
      connectionDisableFailed: BigInt(captureStats.disableFailed),
      connectionsSampledOut: kernel.sampledOut,
      recordsMalformed: BigInt(decoder ? decoder.truncatedFrames + decoder.badSize + decoder.unknownType : 0),
      uncapturedBytes: BigInt(userSpace.uncapturedBytes),
      streamOverflowBytes: BigInt(userSpace.streamOverflowBytes),
      unansweredRequests: BigInt(userSpace.unansweredRequests),
      connectionsEvicted: BigInt(userSpace.connectionsEvicted),
      connectionsDisabled: BigInt(userSpace.connectionsDisabled),
      parserResyncs: BigInt(userSpace.parserResyncs),
      tcpStatsMapFull: tcpHealth?.drops().statsMapFull ?? 0n,
      tcpStatsClosedReplaced: tcpHealth?.drops().closedReplaced ?? 0n,
      tlsCallsFull: (tracer?.tlsDropCounters() ?? finalTlsDrops).callsFull,
      tlsNoSocket: (tracer?.tlsDropCounters() ?? finalTlsDrops).noSocket,
      connectionStatsDropped: BigInt(exporter.counters.connectionStatsDropped),
      recordsSampledOut: BigInt(sampler.counters.sampledOut),
      metricSeriesDropped: BigInt(exporter.counters.seriesDropped),
      endpointOverflow: BigInt(metrics.counters.endpointOverflow),
      peerOverflow: BigInt(metrics.counters.peerOverflow),
      recordsShedMemory: BigInt(memoryGuard?.counters.recordsShed ?? 0),
      batchesRejected: BigInt(exporter.counters.batchesRejected),
      spoolFilesCorrupt: BigInt(exporter.spool?.counters.filesCorrupt ?? 0),
      spoolBatchesDropped: BigInt(exporter.spool?.counters.batchesDropped ?? 0),
    }),
    backlog: create(ExportBacklogSchema, exportBacklogWire(exporter.backlog())),
    captureProblems: captureProblems.list().map((problem) => create(CaptureProblemSchema, problem)),
    activity: create(AgentActivitySchema, {
      events: BigInt(captureStats.events),
      records: BigInt(userSpace.recordsEmitted),
      recordsSent: BigInt(exporter.counters.recordsSent),
    }),
  });
}

// One set of credentials and one token for both channels to the collector (ingest and control).
const credentials = collectorCredentials(config);
const tokenWarning = plaintextTokenWarning(config);
if (tokenWarning !== undefined) console.error(`periscope-agent: warning: ${tokenWarning}`);
const exporter = new Exporter({
  address: config.collectorAddress,
  agentId: config.agentId,
  agentInfo,
  credentials,
  token: config.agentToken,
  spoolDir: config.spoolDir,
  spoolMaxBytes: config.spoolMaxBytes,
  maxPendingBatches: bufferBounds.maxPendingBatches,
  maxQueuedSeries: bufferBounds.maxQueuedSeries,
});
// RSS against the limit, once a second; past 85 % load is shed until under 70 %.
const memoryGuard =
  memoryLimit === undefined
    ? undefined
    : new MemoryGuard({ limitBytes: memoryLimit.bytes, shedder: exporter }).start();
// GET /v1/ready: capture attached and the collector answered (delivered or retrying).
const readiness = new Readiness(() => exporter.delivery());

try {
  tracer = SocketTracer.open(
    {
      ...kernelPaths,
      ...(config.bpfObjectPath === undefined ? {} : { bpfObjectPath: config.bpfObjectPath }),
      captureBytes: config.captureBytes,
      excludeTgid: process.pid,
    },
    (events) => {
      captureStats.observe(events);
      observeProcesses(events, processInfo);
      pipeline.handleBatch(events);
      tlsCapture?.noticeConnections(events);
    },
  );
  captureProblems.addSwitchedOff("socket_trace", tracer.switchedOff());
  readiness.attached();
  // The first batch now, not at the first heartbeat: readiness waits on its answer.
  exporter.heartbeat();
  controlPlane = await startControlPlane({
    tracer,
    apiAddress: config.apiAddress,
    captureBytes: config.captureBytes,
    recordBudgetPerSecond: config.recordBudgetPerSecond,
    captureSelf: config.captureSelf,
    stats: (configVersion) =>
      buildAgentStats({
        configVersion,
        kernel: tracer?.dropCounters() ?? finalKernelDrops,
        decoder: tracer?.decoderCounters() ?? finalDecoderCounters,
        pipeline: pipeline.counters(),
        threadParents: pipeline.threadParents.counters,
        traceContextRejected: traceParentRejections,
        exporter: exporter.counters,
        backlog: exporter.backlog(),
        spool: exporter.spool?.counters,
        capture: captureStats,
        sampler,
        metrics: metrics.counters,
        profiler: profiler?.stats(),
        profilesDropped: exporter.counters.profilesDropped,
        memory:
          memoryGuard === undefined || memoryLimit === undefined
            ? undefined
            : { ...memoryGuard.state(), source: memoryLimit.source },
      }),
    ready: () => readiness.report(),
  });
  // The budget from PUT /v1/config or the collector reaches the sampler here.
  controlPlane.controls.onApply((applied) => sampler.setBudget(applied.recordBudgetPerSecond));
  // The profile rate from PUT /v1/config or the collector (0: off); unset: PERISCOPE_PROFILE_HZ.
  controlPlane.controls.onApply((applied) => {
    const hz = applied.profileHz ?? profileConfig.hz;
    if (profiler === undefined || profiler.rate === hz) return;
    try {
      profiler.setRate(hz);
    } catch (error) {
      console.error(`periscope-agent: profiler: cannot change the rate to ${hz} Hz: ${messageOf(error)}`);
    }
  });
  excludePeriscopeProcesses(controlPlane);
  controlStream = new CollectorControlStream({
    address: config.collectorAddress,
    agentId: config.agentId,
    controls: controlPlane.controls,
    defaultCaptureBytes: config.captureBytes,
    defaultRecordBudgetPerSecond: config.recordBudgetPerSecond,
    credentials,
    token: config.agentToken,
    // The collector's redaction adds to PERISCOPE_REDACTION's rules.
    redaction: { base: config.redaction, apply: (rules) => pipeline.setRedaction(rules) },
  }).start();
} catch (error) {
  // Not root, no BTF, no tracefs…: the message says which; a stack trace would not help.
  readiness.failed(messageOf(error));
  console.error(`periscope-agent: cannot start tracing: ${messageOf(error)}`);
  await exporter.close(0);
  process.exit(1);
}

// TLS plaintext: uprobes on the OpenSSL files processes use (tls/tls-capture.ts).
tlsCapture = startTlsCapture(tracer, tlsScanMs);

// Without its object the preflight has already reported TCP health off.
if (preflight.facts.tcpHealthObject.exists) {
  try {
    tcpHealth = TcpHealthReporter.start(
      tcpHealthConfig,
      process.pid,
      (stats) => exporter.addConnections(stats),
      { bpfObjectPath: tcpHealthObject, ...kernelPaths },
    );
    captureProblems.addSwitchedOff("tcp_health", tcpHealth.switchedOff());
  } catch (error) {
    // Requests still flow without it; say which kernel step refused.
    captureProblems.add({ feature: "tcp_health", reason: messageOf(error) });
  }
}

// CPU profiles (profiler/): loaded at PERISCOPE_PROFILE_HZ even when that is 0 (off), so the
// runtime config can switch it on.
try {
  profiler = startProfiler({
    config: profileConfig,
    deliver: (profile) => exporter.addProfiles(profile),
    ...kernelPaths,
  });
} catch (error) {
  captureProblems.add({ feature: "profiler", reason: messageOf(error) });
}

console.log(
  `periscope-agent: tracing, exporting to ${config.collectorAddress}` +
    ` (${config.collectorTls ? "TLS" : "plaintext"}${config.agentToken ? ", agent token" : ""}) as ${config.agentId}`,
);
console.log(
  memoryLimit === undefined
    ? "periscope-agent: no memory limit (PERISCOPE_MEMORY_LIMIT unset, none in the cgroup): default buffer bounds"
    : `periscope-agent: memory limit ${Math.round(memoryLimit.bytes / 2 ** 20)} MiB (${memoryLimit.source}):` +
        ` ${bufferBounds.maxPendingBatches} batches, ${bufferBounds.maxQueuedSeries} series,` +
        ` ${bufferBounds.maxConnections} connections buffered at most; load shed past 85 %`,
);

const idleTimer = setInterval(() => {
  pipeline.evictIdle(clock.nowMonotonicNs());
  processInfo.sweep();
  if (controlPlane) excludePeriscopeProcesses(controlPlane);
}, IDLE_CHECK_INTERVAL_MS);
idleTimer.unref();

const metricsTimer = setInterval(() => exporter.addMetrics(metrics.drain()), METRICS_DRAIN_INTERVAL_MS);
metricsTimer.unref();

/** Periscope's other processes (collector, UI, agents) out of the pid filter, unless captureSelf. */
function excludePeriscopeProcesses(plane: ControlPlane): void {
  plane.controls.setPeriscopePids(findPeriscopeProcesses()).catch((error: unknown) => {
    console.error(`periscope-agent: cannot exclude Periscope's processes: ${messageOf(error)}`);
  });
}

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  readiness.stopping();
  memoryGuard?.stop();
  clearInterval(idleTimer);
  clearInterval(metricsTimer);
  tlsCapture?.stop();
  if (tracer) {
    finalKernelDrops = tracer.dropCounters();
    finalDecoderCounters = tracer.decoderCounters();
    finalTlsDrops = tracer.tlsDropCounters();
    tracer.close();
    tracer = undefined;
  }
  controlStream?.close();
  await controlPlane?.close();
  pipeline.close();
  tcpHealth?.stop();
  profiler?.stop();
  // The open interval too: its requests are counted nowhere else.
  exporter.addMetrics(metrics.drain(true));
  await exporter.close();
  console.log(`periscope-agent: stopped on ${signal}, ${exporter.counters.recordsSent} records exported`);
  process.exit(0);
}

process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
