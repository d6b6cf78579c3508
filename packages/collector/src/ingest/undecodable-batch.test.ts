import * as grpc from "@grpc/grpc-js";
import { ingestServiceDefinition } from "@periscope/proto";
import { afterEach, describe, expect, it } from "vitest";
import { ExportBatchHandler, type RowSink } from "./export-batch-handler.js";
import { type GrpcIngestServer, startGrpcIngestServer } from "./grpc-ingest-server.js";
import { IngestStats } from "./ingest-stats.js";

const nullSink: RowSink = { insertRows: async () => {} };
const quietLogger = { warn: () => {}, error: () => {} };

/** One Export call with raw bytes as its message, answered with the call's error (or null). */
function callWithBytes(address: string, bytes: Buffer): Promise<grpc.ServiceError | null> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      ingestServiceDefinition.export.path,
      (message: Buffer) => message,
      (answer: Buffer) => answer,
      bytes,
      (error) => {
        client.close();
        resolve(error);
      },
    );
  });
}

describe("a batch whose bytes do not decode", () => {
  let server: GrpcIngestServer | undefined;
  afterEach(async () => {
    await server?.close();
  });

  it("is counted as invalid and answered INVALID_ARGUMENT with the decoder's reason", async () => {
    const stats = new IngestStats();
    server = await startGrpcIngestServer(
      "127.0.0.1:0",
      new ExportBatchHandler(nullSink, stats, 1),
      quietLogger,
    );
    // Field 1 (agent_id), length-delimited, whose length varint never ends:
    // what a negative uint64 written as one byte looked like in issue #14.
    const error = await callWithBytes(server.address, Buffer.from([0x0a, 0xa8]));
    expect(error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error?.details).toMatch(/^the batch could not be decoded: /);
    expect(stats.counters.batchesRejectedInvalid).toBe(1);
    expect(stats.counters.batchesStored).toBe(0);
  });
});
