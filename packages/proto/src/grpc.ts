// grpc-js needs a ServiceDefinition with serializers; protobuf-es generates the
// schema, so the definition is built from it here, once, for both ends.
// Requests are encoded by the hand-written encoder (export-request-encoder.ts):
// the agent sends tens of thousands of records a second and toBinary was a
// quarter of its time. The collector swaps in the fast decoder
// (decodeExportRequest, export-request-decoder.ts); agents never decode requests.
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import type { ServiceDefinition } from "@grpc/grpc-js";
import { encodeExportRequest } from "./export-request-encoder.js";
import {
  type ExportRequest,
  ExportRequestSchema,
  type ExportResponse,
  ExportResponseSchema,
} from "./gen/periscope/agent/v1/ingest_pb.js";

export const INGEST_EXPORT_PATH = "/periscope.agent.v1.IngestService/Export";

export const ingestServiceDefinition = {
  export: {
    path: INGEST_EXPORT_PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: (message: ExportRequest) => encodeExportRequest(message),
    requestDeserialize: (bytes: Buffer) => fromBinary(ExportRequestSchema, bytes),
    responseSerialize: (message: ExportResponse) => Buffer.from(toBinary(ExportResponseSchema, message)),
    responseDeserialize: (bytes: Buffer) => fromBinary(ExportResponseSchema, bytes),
  },
} satisfies ServiceDefinition;
