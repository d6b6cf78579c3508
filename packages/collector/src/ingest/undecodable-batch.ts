// A batch whose bytes do not decode, carried to the handler instead of thrown.
//
// Why: grpc-js answers a throwing requestDeserialize with INTERNAL "Error
// deserializing request" before any handler runs, so no counter moved and the
// agent could not tell a bad batch from a collector fault (issue #14: an agent
// retried such a batch for ever). Marking it lets the handler count it
// (batchesRejectedInvalid) and answer INVALID_ARGUMENT with the decoder's reason.
import { create, decodeExportRequest, type ExportRequest, ExportRequestSchema } from "@periscope/proto";

const undecodable = new WeakMap<ExportRequest, string>();

/** decodeExportRequest, or an empty request marked with why the bytes did not decode. */
export function decodeExportRequestOrMark(bytes: Buffer): ExportRequest {
  try {
    return decodeExportRequest(bytes);
  } catch (error) {
    const request = create(ExportRequestSchema);
    undecodable.set(
      request,
      `the batch could not be decoded: ${error instanceof Error ? error.message : String(error)}`,
    );
    return request;
  }
}

/** Why a request did not decode; undefined for a decoded one. */
export function undecodableReason(request: ExportRequest): string | undefined {
  return undecodable.get(request);
}
