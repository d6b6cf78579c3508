export type { DescField, DescMessage } from "@bufbuild/protobuf";
export { create, equals, fromBinary, toBinary } from "@bufbuild/protobuf";
export { CONTROL_CONNECT_PATH, controlServiceDefinition } from "./control-grpc.js";
export {
  bucketIndex,
  bucketsAtScale,
  bucketValue,
  LATENCY_SCALE,
  LatencyHistogram,
  quantileOfBuckets,
  relativeErrorBound,
} from "./exponential-histogram.js";
export { decodeExportRequest } from "./export-request-decoder.js";
export { encodeExportRequest } from "./export-request-encoder.js";
export * from "./gen/periscope/agent/v1/control_pb.js";
export * from "./gen/periscope/agent/v1/ingest_pb.js";
export { INGEST_EXPORT_PATH, ingestServiceDefinition } from "./grpc.js";
export { EXTERNAL_IPV4_PREFIX, EXTERNAL_IPV6_PREFIX, INTERNAL_ADDRESS_BLOCKS } from "./peer-grouping.js";
export {
  CAPTURE_PROTOCOLS,
  type CaptureProtocolName,
  isProtocolName,
  PROTOCOL_NAMES,
  type ProtocolName,
} from "./protocols.js";
export {
  boundTemplate,
  ID_PLACEHOLDER,
  isIdLike,
  MAX_TEMPLATE_LENGTH,
  templatePath,
  templateSegments,
} from "./target-template.js";
export { PARENT_INFERRED_ATTRIBUTE } from "./trace-attributes.js";
