// grpc-js needs a ServiceDefinition with serializers; protobuf-es generates the
// schema, so the definition is built from it here, once, for both ends.
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import type { ServiceDefinition } from "@grpc/grpc-js";
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
    requestSerialize: (message: ExportRequest) => Buffer.from(toBinary(ExportRequestSchema, message)),
    requestDeserialize: (bytes: Buffer) => fromBinary(ExportRequestSchema, bytes),
    responseSerialize: (message: ExportResponse) => Buffer.from(toBinary(ExportResponseSchema, message)),
    responseDeserialize: (bytes: Buffer) => fromBinary(ExportResponseSchema, bytes),
  },
} satisfies ServiceDefinition;
