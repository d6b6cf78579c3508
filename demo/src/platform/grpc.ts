// gRPC as the demo's services speak it: unary calls on services loaded from
// demo/proto, the trace context sent as `traceparent` metadata (gRPC metadata
// travels as HTTP/2 headers, which is where the agent reads it) and each call
// served inside the context it carried.
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import type { ServiceRuntime } from "./service-runtime.js";
import {
  newTrace,
  outgoingContext,
  parseTraceparent,
  traceHeaders,
  withTraceContext,
} from "./trace-context.js";

// demo/dist/platform or demo/src/platform → demo/proto.
const PROTO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "proto");

export interface GrpcServiceRef {
  /** "orders.proto" */
  file: string;
  /** Fully qualified service name, "demo.orders.Orders". */
  service: string;
}

export const ORDERS_SERVICE: GrpcServiceRef = { file: "orders.proto", service: "demo.orders.Orders" };
export const BILLING_SERVICE: GrpcServiceRef = { file: "billing.proto", service: "demo.billing.Billing" };

function definitionOf(ref: GrpcServiceRef): grpc.ServiceDefinition {
  // longs as numbers: the demo's ids stay far below 2^53.
  const packageDefinition = protoLoader.loadSync(path.join(PROTO_DIR, ref.file), {
    longs: Number,
    defaults: true,
  });
  const definition = packageDefinition[ref.service];
  // A message type has a "format" field; a service is a table of methods.
  if (definition === undefined || "format" in definition) {
    throw new Error(`${ref.file} has no service ${ref.service}`);
  }
  return definition as grpc.ServiceDefinition;
}

/** The answer to a failed call: a gRPC status and its message. */
export class GrpcError extends Error {
  constructor(
    readonly code: grpc.status,
    message: string,
  ) {
    super(message);
  }
}

export type UnaryHandler = (request: Record<string, unknown>) => Promise<Record<string, unknown>>;

export function serveGrpc(
  runtime: ServiceRuntime,
  ref: GrpcServiceRef,
  methods: Record<string, UnaryHandler>,
): void {
  const server = new grpc.Server();
  const implementation: grpc.UntypedServiceImplementation = {};
  for (const [method, handle] of Object.entries(methods)) {
    implementation[method] = (
      call: grpc.ServerUnaryCall<Record<string, unknown>, Record<string, unknown>>,
      callback: grpc.sendUnaryData<Record<string, unknown>>,
    ) => {
      const context = parseTraceparent(
        metadataValue(call.metadata, "traceparent"),
        metadataValue(call.metadata, "tracestate"),
      );
      runtime.logTrace("grpc-metadata", `/${ref.service}/${method}`, context);
      withTraceContext(context ?? newTrace(), () => handle(call.request)).then(
        (reply) => callback(null, reply),
        (error: unknown) =>
          callback({
            code: error instanceof GrpcError ? error.code : grpc.status.INTERNAL,
            details: error instanceof Error ? error.message : String(error),
          }),
      );
    };
  }
  server.addService(definitionOf(ref), implementation);
  server.bindAsync(`127.0.0.1:${runtime.port}`, grpc.ServerCredentials.createInsecure(), (error) => {
    if (error) {
      console.error(`${runtime.title}: cannot listen on ${runtime.port}: ${error.message}`);
      process.exit(1);
    }
    console.log(`${runtime.title} (gRPC) listening on 127.0.0.1:${runtime.port}`);
  });
  runtime.onStop(
    () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        // In-flight calls get a moment; then the server goes regardless.
        setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 2_000).unref();
      }),
  );
}

export interface UnaryClient {
  call(
    method: string,
    request: Record<string, unknown>,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
}

/** One channel (one HTTP/2 connection) per peer, reused by every call, as real services do. */
export function grpcClient(runtime: ServiceRuntime, ref: GrpcServiceRef, address: string): UnaryClient {
  const definition = definitionOf(ref);
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  runtime.onStop(() => client.close());
  return {
    call(method, request, timeoutMs = 5_000) {
      const rpc = definition[method] as grpc.MethodDefinition<
        Record<string, unknown>,
        Record<string, unknown>
      >;
      if (rpc === undefined) return Promise.reject(new Error(`${ref.service} has no method ${method}`));
      const metadata = new grpc.Metadata();
      for (const [key, value] of Object.entries(traceHeaders(outgoingContext()))) metadata.set(key, value);
      return new Promise((resolve, reject) => {
        client.makeUnaryRequest(
          rpc.path,
          rpc.requestSerialize,
          rpc.responseDeserialize,
          request,
          metadata,
          { deadline: Date.now() + timeoutMs },
          (error, reply) => {
            if (error) reject(new GrpcError(error.code, error.details || error.message));
            else resolve(reply ?? {});
          },
        );
      });
    },
  };
}

function metadataValue(metadata: grpc.Metadata, key: string): string | undefined {
  const value = metadata.get(key)[0];
  return typeof value === "string" ? value : undefined;
}
