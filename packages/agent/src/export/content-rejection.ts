// Tells a batch refused for what it holds from a failure worth retrying.
//
// Why: the exporter retried every error for ever, so one batch the collector
// could not decode (issue #14: a negative byte delta encoded as a truncated
// varint, answered INTERNAL "Error deserializing request" by grpc-js before
// the collector's handler ran) stayed pending for ever, uncounted. Sending
// the same bytes again cannot succeed; everything else (UNAVAILABLE,
// RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED, a collector's transient INTERNAL) may.
import { type ServiceError, status } from "@grpc/grpc-js";

/** The reason to give up on the batch, or undefined when it should be retried. */
export function contentRejection(error: ServiceError): string | undefined {
  if (error.code === status.INVALID_ARGUMENT) return `collector refused it: ${error.details}`;
  // grpc-js's own words when a message cannot be (de)serialized on either side.
  if (error.code === status.INTERNAL && /serializ/i.test(error.details)) {
    return `collector could not decode it: ${error.details}`;
  }
  return undefined;
}
