export { create, fromBinary, toBinary } from "@bufbuild/protobuf";
export * from "./gen/periscope/agent/v1/ingest_pb.js";
export { INGEST_EXPORT_PATH, ingestServiceDefinition } from "./grpc.js";
