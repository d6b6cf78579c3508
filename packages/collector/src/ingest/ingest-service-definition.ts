// The Export service as the collector serves it: the shared definition from
// @periscope/proto, with the contract's fast request decoder
// (decodeExportRequest) in place of protobuf-es's reflective one, wrapped so
// undecodable bytes reach the handler (undecodable-batch.ts). Agents keep the
// shared definition.
import { ingestServiceDefinition } from "@periscope/proto";
import { decodeExportRequestOrMark } from "./undecodable-batch.js";

export const collectorIngestServiceDefinition = {
  export: { ...ingestServiceDefinition.export, requestDeserialize: decodeExportRequestOrMark },
} satisfies typeof ingestServiceDefinition;
