// Starts the whole collector: storage (migrated), gRPC ingest and the HTTP API.
import { ServerCredentials } from "@grpc/grpc-js";
import type { FastifyBaseLogger, FastifyServerOptions } from "fastify";
import { collectorApp } from "./app.js";
import { agentTokenInterceptor } from "./auth/agent-token-interceptor.js";
import { ApiTokenStore } from "./auth/api-token-store.js";
import { planSecurity, type SecurityPlan } from "./auth/startup-policy.js";
import { type CollectorConfig, loadConfig } from "./config.js";
import { AgentConfigStore } from "./control/agent-config-store.js";
import { AgentControl } from "./control/agent-control.js";
import { AgentSnapshots } from "./control/agent-snapshots.js";
import { controlService } from "./control/control-service.js";
import { createHttpApp } from "./http/create-http-app.js";
import { loadStoredSequences } from "./ingest/batch-sequence-store.js";
import { startGrpcIngestServer } from "./ingest/grpc-ingest-server.js";
import { IngestStats } from "./ingest/ingest-stats.js";
import { ReaderActivity } from "./ingest/reader-activity.js";
import { withTestFault } from "./ingest/test-fault.js";
import { startKubernetesMetadata } from "./kubernetes/kubernetes-metadata.js";
import { LiveHub } from "./live/live-hub.js";
import { CollectorMetrics } from "./metrics/collector-metrics.js";
import { MeasuredExportBatchHandler } from "./metrics/measured-batch-handler.js";
import { registerOtlpMetrics } from "./metrics/otlp-metrics.js";
import { StorageActivity } from "./metrics/storage-activity.js";
import { registerStorageGuardMetrics } from "./metrics/storage-guard-metrics.js";
import { OtlpExporter } from "./otlp/otlp-exporter.js";
import { setMinuteRollupRetentionDays } from "./query/rollup-source.js";
import { storageTargetFrom } from "./storage/clickhouse-client.js";
import type { SchemaSettings } from "./storage/ddl-template.js";
import { DiskGuard } from "./storage/disk-guard.js";
import { applyMigrations, loadMigrations } from "./storage/migrations.js";
import { QueryOutcomes } from "./storage/query-outcomes.js";
import { syncRetention } from "./storage/retention.js";
import { openStorage, type Storage } from "./storage/storage.js";

export interface StartCollectorOptions extends Partial<CollectorConfig> {
  /** fastify logger option; false (the default here) logs nothing. */
  logger?: FastifyServerOptions["logger"];
}

// How long close() waits for queued and outage-held batches to reach storage.
const SHUTDOWN_FLUSH_MS = 5_000;

export interface RunningCollector {
  /** Base URL of the HTTP API, e.g. http://127.0.0.1:8080 (actual port when 0 was asked). */
  httpUrl: string;
  /** host:port of the gRPC ingest server (actual port when 0 was asked). */
  grpcAddress: string;
  close(): Promise<void>;
}

function urlHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

export function schemaSettingsOf(config: CollectorConfig): SchemaSettings {
  return {
    retentionDays: config.retentionDays,
    rollupRetentionDays: config.rollupRetentionDays,
    profileRetentionDays: config.profileRetentionDays,
    linkRetentionDays: config.linkRetentionDays,
    agentRetentionDays: config.agentRetentionDays,
    cluster: config.storageCluster,
  };
}

async function prepareStorage(
  config: CollectorConfig,
  log: FastifyBaseLogger,
  queryOutcomes: QueryOutcomes,
): Promise<Storage> {
  const storage = openStorage(storageTargetFrom(config), {
    queryLimits: {
      maxSeconds: config.queryMaxSeconds,
      maxMemoryBytes: config.queryMaxMemoryMegabytes * 1024 * 1024,
      maxRows: config.queryMaxRows,
    },
    queryOutcomes,
    log,
  });
  try {
    const settings = schemaSettingsOf(config);
    const applied = await applyMigrations(storage, await loadMigrations(settings));
    if (applied.length > 0) log.info({ versions: applied }, "applied storage migrations");
    const retimed = await syncRetention(storage, {
      ...settings,
      hourlyRollupRetentionDays: config.hourlyRollupRetentionDays,
    });
    if (retimed.length > 0) log.info({ tables: retimed }, "updated table retention");
    return storage;
  } catch (error) {
    await storage.close().catch(() => {});
    throw error;
  }
}

function grpcSecurity(security: SecurityPlan, config: CollectorConfig) {
  return {
    credentials: security.tls
      ? ServerCredentials.createSsl(
          null,
          [{ cert_chain: security.tls.cert, private_key: security.tls.key }],
          false,
        )
      : undefined,
    interceptors: security.grpcAuth ? [agentTokenInterceptor(config.agentToken)] : [],
  };
}

/**
 * Options override the environment (PERISCOPE_* variables, see config.ts),
 * which overrides the defaults.
 */
export async function startCollector(options: StartCollectorOptions = {}): Promise<RunningCollector> {
  const { logger = false, ...overrides } = options;
  const definedOverrides = Object.fromEntries(
    Object.entries(overrides).filter(([, value]) => value !== undefined),
  );
  const config: CollectorConfig = { ...loadConfig(), ...definedOverrides };

  // Refuse an unsafe exposure before anything is opened or listening.
  const security = planSecurity(config);
  setMinuteRollupRetentionDays(config.rollupRetentionDays);
  const app = createHttpApp(logger, security.tls);
  const queryOutcomes = new QueryOutcomes();
  const storage = await prepareStorage(config, app.log, queryOutcomes);
  const diskGuard = new DiskGuard(storage, {
    maxBytes: config.storageMaxBytes,
    minFreePercent: config.storageMinFreePercent,
    cluster: config.storageCluster,
    log: app.log,
  });
  const ingestStats = new IngestStats();
  const live = new LiveHub();
  const metrics = new CollectorMetrics(ingestStats, live);
  const handler = new MeasuredExportBatchHandler(
    withTestFault(storage),
    ingestStats,
    config.maxInflightInserts,
    live.publish,
    {
      maxRowsPerInsert: config.maxRowsPerInsert,
      lingerMs: config.ingestLingerMs,
      idleLingerMs: config.ingestIdleLingerMs,
      maxQueuedRows: config.ingestBufferRows,
      maxQueuedBytes: config.ingestBufferMegabytes * 1024 * 1024,
      acknowledge: config.ingestAck,
    },
  ).measureWith(metrics);
  const otlp =
    config.otlpEndpoint === ""
      ? undefined
      : new OtlpExporter({
          endpoint: config.otlpEndpoint,
          headers: config.otlpHeaders,
          queueItems: config.otlpQueueItems,
        });
  handler.exportTo(otlp);
  if (otlp !== undefined) registerOtlpMetrics(metrics.registry, otlp);
  const readers = new ReaderActivity(() => live.clientCount);
  handler.watchedBy(readers);
  const storageActivity = new StorageActivity(storage, ingestStats);
  metrics.watchStorage(storageActivity, ingestStats);
  registerStorageGuardMetrics(metrics.registry, diskGuard, queryOutcomes);

  const agentConfigs = await AgentConfigStore.open(storage).catch(async (error: unknown) => {
    storageActivity.close();
    live.close();
    await storage.close();
    throw error;
  });
  const agentControl = new AgentControl(agentConfigs);
  // What a previous run stored, so retries of batches it never answered are not stored twice.
  handler.restore(
    await loadStoredSequences(storage).catch((error: unknown) => {
      app.log.warn(
        { err: error },
        "reading stored batch numbers failed; a retried batch may be stored twice",
      );
      return { complete: [], recordsOnly: [] };
    }),
  );
  const agentSnapshots = new AgentSnapshots(
    storage,
    ingestStats,
    (agentId) => agentControl.configState(agentId).appliedVersion,
    (error) => app.log.warn({ err: error }, "writing agent snapshots failed"),
  );

  let grpc: Awaited<ReturnType<typeof startGrpcIngestServer>> | undefined;
  let kubernetes: Awaited<ReturnType<typeof startKubernetesMetadata>>;
  try {
    // Host mode (no cluster configured) starts nothing and says nothing.
    kubernetes = await startKubernetesMetadata(
      {
        mode: config.kubernetes,
        kubeconfig: config.kubeconfig,
        apiUrl: config.kubernetesApiUrl,
        inClusterHost: config.kubernetesServiceHost,
        graceSeconds: config.kubernetesGraceSeconds,
      },
      { info: (message) => app.log.info(message), warn: (message) => app.log.warn(message) },
    );
    handler.decorateWith(kubernetes?.metadata);
    grpc = await startGrpcIngestServer(config.grpcAddress, handler, app.log, {
      ...grpcSecurity(security, config),
      services: [controlService(agentControl, app.log)],
    });
    const tokens = security.httpAuth
      ? new ApiTokenStore(storage, config.adminToken, config.uiToken)
      : undefined;
    app.addHook("onRequest", (request, _reply, done) => {
      readers.noteRequest(request.url);
      done();
    });
    await app.register(collectorApp, {
      storage,
      ingestStats,
      tokens,
      live,
      metrics,
      agentControl,
      ingestQueue: handler,
      storageActivity,
      storageGuards: { diskGuard, queryOutcomes },
      otlp,
    });
    await app.listen({ host: config.httpHost, port: config.httpPort });
    diskGuard.start();
  } catch (error) {
    otlp?.close();
    await kubernetes?.stop();
    await grpc?.close();
    await agentSnapshots.close();
    storageActivity.close();
    live.close();
    await app.close();
    await storage.close();
    throw error;
  }

  const address = app.server.address();
  const httpPort = typeof address === "object" && address !== null ? address.port : config.httpPort;
  const ingest = grpc;
  let closing: Promise<void> | undefined;
  return {
    httpUrl: `${security.tls ? "https" : "http"}://${urlHost(config.httpHost)}:${httpPort}`,
    grpcAddress: ingest.address,
    close: () => {
      // Stop taking batches first so nothing is mid-insert when storage closes.
      closing ??= (async () => {
        // Control streams stay open for the agents' lifetime; end them so the gRPC server can stop.
        agentControl.closeAll();
        await ingest.close();
        await kubernetes?.stop();
        // After ingest stops, so the last state of every agent is kept.
        await agentSnapshots.close();
        // Batches accepted but not yet stored (queued, or held through an outage) get a last chance.
        const held = await handler.shutdown(SHUTDOWN_FLUSH_MS);
        if (held > 0)
          app.log.error({ batches: held }, "storage unavailable at shutdown; held batches are lost");
        // What waits for the OTLP receiver gets one try; what it cannot take is counted, then gone.
        await Promise.race([
          otlp?.flush(),
          new Promise((resolve) => setTimeout(resolve, SHUTDOWN_FLUSH_MS).unref()),
        ]);
        otlp?.close();
        storageActivity.close();
        await diskGuard.close();
        // Live streams never end on their own; app.close() would wait for them.
        live.close();
        await app.close();
        await storage.close();
      })();
      return closing;
    },
  };
}
