// The Export service as the collector serves it: the shared definition from
// @periscope/proto, with the fast request decoder (export-request-decoder.ts)
// in place of protobuf-es's reflective one. Agents keep the shared definition.
import { ingestServiceDefinition } from "@periscope/proto";
import { decodeExportRequest } from "./export-request-decoder.js";

export const collectorIngestServiceDefinition = {
  export: { ...ingestServiceDefinition.export, requestDeserialize: decodeExportRequest },
} satisfies typeof ingestServiceDefinition;
