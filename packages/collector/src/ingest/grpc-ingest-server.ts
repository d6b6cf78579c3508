// gRPC transport for ingest: maps ExportBatchHandler outcomes onto status codes
// an agent can act on (INVALID_ARGUMENT and INTERNAL: drop the batch;
// RESOURCE_EXHAUSTED and UNAVAILABLE: retry the same batch_seq later).
import {
  type handleUnaryCall,
  Server,
  ServerCredentials,
  type ServerInterceptor,
  type ServiceDefinition,
  status,
  type UntypedServiceImplementation,
} from "@grpc/grpc-js";
import { create, type ExportRequest, type ExportResponse, ExportResponseSchema } from "@periscope/proto";
import { isTransientStorageError } from "../storage/storage-errors.js";
import type { ExportBatchHandler } from "./export-batch-handler.js";
import { collectorIngestServiceDefinition } from "./ingest-service-definition.js";
import { testFaultPoint } from "./test-fault.js";

// Agents batch ~hundreds of records per call; the 4 MiB default would make a
// large but legitimate batch fail on size alone.
const MAX_RECEIVE_MESSAGE_BYTES = 32 * 1024 * 1024;
const SHUTDOWN_GRACE_MS = 5_000;

export interface IngestLogger {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface GrpcIngestServer {
  /** host:port actually bound (port 0 resolved). */
  address: string;
  close(): Promise<void>;
}

function exportCallHandler(
  handler: ExportBatchHandler,
  logger: IngestLogger,
): handleUnaryCall<ExportRequest, ExportResponse> {
  return (call, callback) => {
    testFaultPoint("call");
    handler.handle(call.request).then(
      (outcome) => {
        switch (outcome.kind) {
          case "stored": {
            const series = outcome.series ?? { accepted: 0, rejected: 0, rejectedReason: "" };
            if (series.rejected > 0) {
              logger.warn(
                { agentId: call.request.agentId, reason: series.rejectedReason },
                "rejected malformed metric series; stored the rest of the batch",
              );
            }
            callback(
              null,
              create(ExportResponseSchema, {
                accepted: outcome.accepted,
                duplicate: false,
                seriesAccepted: series.accepted,
                seriesRejected: series.rejected,
                rejectedReason: series.rejectedReason,
              }),
            );
            testFaultPoint("ack");
            return;
          }
          case "duplicate":
            callback(null, create(ExportResponseSchema, { accepted: 0, duplicate: true }));
            return;
          case "invalid":
            logger.warn({ agentId: call.request.agentId, reason: outcome.reason }, "rejected invalid batch");
            callback({ code: status.INVALID_ARGUMENT, details: outcome.reason });
            return;
          case "busy":
            callback({ code: status.RESOURCE_EXHAUSTED, details: outcome.reason });
            return;
          case "storage-failed":
            logger.error({ err: outcome.cause, agentId: call.request.agentId }, "storing batch failed");
            if (isTransientStorageError(outcome.cause)) {
              callback({ code: status.UNAVAILABLE, details: "storage is unavailable; retry the batch" });
            } else {
              callback({ code: status.INTERNAL, details: "the batch could not be stored" });
            }
            return;
        }
      },
      (error: unknown) => {
        logger.error({ err: error }, "ingest handler failed");
        callback({ code: status.INTERNAL, details: "internal error" });
      },
    );
  };
}

function hostOf(address: string): string {
  return address.slice(0, address.lastIndexOf(":"));
}

/** Transport security and the other services sharing the agents' port (auth and control). */
export interface GrpcServerExtras {
  credentials?: ServerCredentials;
  interceptors?: ServerInterceptor[];
  services?: { definition: ServiceDefinition; implementation: UntypedServiceImplementation }[];
}

export async function startGrpcIngestServer(
  address: string,
  handler: ExportBatchHandler,
  logger: IngestLogger,
  extras: GrpcServerExtras = {},
): Promise<GrpcIngestServer> {
  const server = new Server({
    "grpc.max_receive_message_length": MAX_RECEIVE_MESSAGE_BYTES,
    interceptors: extras.interceptors ?? [],
  });
  server.addService(collectorIngestServiceDefinition, { export: exportCallHandler(handler, logger) });
  for (const service of extras.services ?? []) server.addService(service.definition, service.implementation);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(address, extras.credentials ?? ServerCredentials.createInsecure(), (error, boundPort) =>
      error ? reject(error) : resolve(boundPort),
    );
  });
  return {
    address: `${hostOf(address)}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, SHUTDOWN_GRACE_MS);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}
