import { KafkaReader } from "./kafka-reader.js";
import type { KafkaRequest } from "./kafka-request.js";
import { ApiKey, isFlexible } from "./kafka-wire.js";

export interface KafkaResponse {
  correlationId: number;
  /** The body after the response header, as far as it was kept (see KafkaDecoder). */
  body: Buffer;
  wireBytes: number;
}

/**
 * The first non-zero error code in a response, for the APIs whose layout we
 * read (ProduceResponse.json, FetchResponse.json, MetadataResponse.json);
 * 0 when none was found or the layout is not read. Response header v0 is just
 * the correlation id; v1 (flexible versions, except ApiVersions whose response
 * header stays v0 so old clients can read it) adds a TAG_BUFFER.
 */
export function responseErrorCode(request: KafkaRequest, response: KafkaResponse): number {
  const flexible = isFlexible(request.apiKey, request.apiVersion);
  const reader = new KafkaReader(response.body);
  if (flexible && request.apiKey !== ApiKey.ApiVersions) reader.skipTaggedFields();
  let code = 0;
  switch (request.apiKey) {
    case ApiKey.Produce:
      code = produceError(reader, request.apiVersion, flexible);
      break;
    case ApiKey.Fetch:
      code = fetchError(reader, request.apiVersion, flexible);
      break;
    case ApiKey.Metadata:
      code = metadataError(reader, request.apiVersion, flexible);
      break;
    case ApiKey.ApiVersions:
      code = reader.int16(); // error_code comes first
      break;
  }
  return reader.overrun ? 0 : code;
}

function produceError(reader: KafkaReader, version: number, flexible: boolean): number {
  const topics = reader.arrayLength(flexible);
  for (let topic = 0; topic < topics && !reader.overrun; topic++) {
    reader.string(flexible);
    const partitions = reader.arrayLength(flexible);
    for (let partition = 0; partition < partitions && !reader.overrun; partition++) {
      reader.int32(); // index
      const code = reader.int16();
      if (code !== 0) return code;
      reader.skip(8 + (version >= 2 ? 8 : 0) + (version >= 5 ? 8 : 0)); // base_offset, log_append_time, log_start_offset
      if (version >= 8) {
        const recordErrors = reader.arrayLength(flexible);
        for (let error = 0; error < recordErrors && !reader.overrun; error++) {
          reader.int32();
          reader.string(flexible);
          if (flexible) reader.skipTaggedFields();
        }
        reader.string(flexible); // error_message
      }
      if (flexible) reader.skipTaggedFields();
    }
    if (flexible) reader.skipTaggedFields();
  }
  return 0;
}

/** Fetch v7+ has a top-level error (the fetch session); each partition starts with its own. */
function fetchError(reader: KafkaReader, version: number, flexible: boolean): number {
  if (version >= 1) reader.int32(); // throttle_time_ms
  if (version >= 7) {
    const code = reader.int16();
    if (code !== 0) return code;
    reader.int32(); // session_id
  }
  const topics = reader.arrayLength(flexible);
  if (topics < 1) return 0;
  if (version >= 13) reader.skip(16);
  else reader.string(flexible);
  // The first partition's error: its records follow and can be megabytes, so stop here.
  if (reader.arrayLength(flexible) < 1) return 0;
  reader.int32(); // partition_index
  return reader.int16();
}

function metadataError(reader: KafkaReader, version: number, flexible: boolean): number {
  if (version >= 3) reader.int32(); // throttle_time_ms
  const brokers = reader.arrayLength(flexible);
  for (let broker = 0; broker < brokers && !reader.overrun; broker++) {
    reader.int32(); // node_id
    reader.string(flexible); // host
    reader.int32(); // port
    if (version >= 1) reader.string(flexible); // rack
    if (flexible) reader.skipTaggedFields();
  }
  if (version >= 2) reader.string(flexible); // cluster_id
  if (version >= 1) reader.int32(); // controller_id
  const topics = reader.arrayLength(flexible);
  // Each topic starts with its error code; the partitions after it are long, so the first is read.
  if (topics < 1) return 0;
  return reader.int16();
}
