// The Export service as the collector serves it: the shared definition from
// @periscope/proto, with the contract's fast request decoder
// (decodeExportRequest) in place of protobuf-es's reflective one. Agents keep
// the shared definition.
import { decodeExportRequest, ingestServiceDefinition } from "@periscope/proto";

export const collectorIngestServiceDefinition = {
  export: { ...ingestServiceDefinition.export, requestDeserialize: decodeExportRequest },
} satisfies typeof ingestServiceDefinition;
