// Test support: a real grpc-js server speaking the ingest contract, recording
// what agents send, that can be told to fail calls as an unreachable collector would.
import * as grpc from "@grpc/grpc-js";
import {
  create,
  type ExportRequest,
  type ExportResponse,
  ExportResponseSchema,
  ingestServiceDefinition,
} from "@periscope/proto";

export interface FakeCollector {
  address: string;
  received: ExportRequest[];
  /** Fail the next `count` calls with UNAVAILABLE. */
  failNext(count: number): void;
  /** Answer calls this picks with its error (INVALID_ARGUMENT…) instead of accepting them. */
  refuse(
    pick: ((request: ExportRequest) => { code: grpc.status; details: string } | undefined) | undefined,
  ): void;
  stop(): Promise<void>;
}

export async function startFakeCollector(port = 0): Promise<FakeCollector> {
  const received: ExportRequest[] = [];
  let failures = 0;
  let refusal: ((request: ExportRequest) => { code: grpc.status; details: string } | undefined) | undefined;
  const server = new grpc.Server();
  server.addService(ingestServiceDefinition, {
    export: (
      call: grpc.ServerUnaryCall<ExportRequest, ExportResponse>,
      callback: grpc.sendUnaryData<ExportResponse>,
    ) => {
      if (failures > 0) {
        failures--;
        callback({ code: grpc.status.UNAVAILABLE, details: "collector busy" });
        return;
      }
      const refused = refusal?.(call.request);
      if (refused !== undefined) {
        callback(refused);
        return;
      }
      received.push(call.request);
      callback(null, create(ExportResponseSchema, { accepted: call.request.requests.length }));
    },
  });
  const boundPort = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error === null ? resolve(bound) : reject(error),
    ),
  );
  return {
    address: `127.0.0.1:${boundPort}`,
    received,
    failNext: (count) => {
      failures = count;
    },
    refuse: (pick) => {
      refusal = pick;
    },
    stop: () => new Promise((resolve) => server.tryShutdown(() => resolve())),
  };
}
