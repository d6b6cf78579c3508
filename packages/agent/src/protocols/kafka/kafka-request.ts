import { KafkaReader } from "./kafka-reader.js";
import { recordBatchTraceParent } from "./kafka-record-headers.js";
import { ApiKey, isFlexible, MAX_KNOWN_API_KEY, MAX_KNOWN_API_VERSION } from "./kafka-wire.js";

export interface KafkaRequest {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
  /** Topic names the request names (Produce, Fetch, Metadata), when they could be read. */
  topics: string[];
  partitions: number;
  /** Produce acks: 0 means the broker sends no response at all. */
  acks: number | undefined;
  /** Only a prefix was decoded (a large produce); topics after it are unknown. */
  partial: boolean;
  /** A produced record's traceparent header (the first traced record of the first batches read). */
  traceParent?: string;
  wireBytes: number;
}

/** Topic names kept per request; a Fetch of a whole cluster names hundreds. */
const MAX_TOPICS = 32;

/**
 * Request header (v1: api_key, api_version, correlation_id, client_id
 * NULLABLE_STRING; v2 adds a TAG_BUFFER; client_id stays a non-compact string
 * in v2) and the body fields a record shows, from the schemas
 * ProduceRequest.json, FetchRequest.json, MetadataRequest.json. `body` is the
 * message after the 4-byte size (possibly only a prefix of it).
 */
export function decodeRequest(body: Buffer, size: number, partial: boolean): KafkaRequest | string {
  const reader = new KafkaReader(body);
  const apiKey = reader.int16();
  const apiVersion = reader.int16();
  const correlationId = reader.int32();
  if (apiKey < 0 || apiKey > MAX_KNOWN_API_KEY || apiVersion < 0 || apiVersion > MAX_KNOWN_API_VERSION)
    return "not a Kafka request header";
  const flexible = isFlexible(apiKey, apiVersion);
  const clientId = reader.string(false);
  if (flexible) reader.skipTaggedFields();
  if (reader.overrun) return "Kafka request header cut short";
  const request: KafkaRequest = {
    apiKey,
    apiVersion,
    correlationId,
    clientId,
    topics: [],
    partitions: 0,
    acks: undefined,
    partial,
    wireBytes: 4 + size,
  };
  if (apiKey === ApiKey.Produce) readProduce(reader, request, flexible);
  else if (apiKey === ApiKey.Fetch) readFetch(reader, request, flexible);
  else if (apiKey === ApiKey.Metadata) readMetadata(reader, request, flexible);
  // A body that does not match its schema is still a request; only its topics are unknown.
  if (reader.overrun) request.partial = true;
  return request;
}

function readProduce(reader: KafkaReader, request: KafkaRequest, flexible: boolean): void {
  if (request.apiVersion >= 3) reader.string(flexible); // transactional_id
  request.acks = reader.int16();
  reader.int32(); // timeout_ms
  const topics = reader.arrayLength(flexible);
  for (let topic = 0; topic < topics && !reader.overrun; topic++) {
    const name = reader.string(flexible);
    const partitions = reader.arrayLength(flexible);
    if (reader.overrun) return;
    if (name !== null && request.topics.length < MAX_TOPICS) request.topics.push(name);
    request.partitions += Math.max(0, partitions);
    for (let partition = 0; partition < partitions && !reader.overrun; partition++) {
      reader.int32(); // index
      const records = reader.bytesSpan(flexible);
      if (request.traceParent === undefined && records !== undefined) {
        const traceParent = recordBatchTraceParent(reader.buffer, records.start, records.end);
        if (traceParent !== undefined) request.traceParent = traceParent;
      }
      if (flexible) reader.skipTaggedFields();
    }
    if (flexible) reader.skipTaggedFields();
  }
}

/** Bytes of one partition entry before its tagged fields, by Fetch version (FetchRequest.json). */
function fetchPartitionBytes(version: number): number {
  // partition, [current_leader_epoch v9+], fetch_offset, [last_fetched_epoch v12+],
  // [log_start_offset v5+], partition_max_bytes
  return 4 + (version >= 9 ? 4 : 0) + 8 + (version >= 12 ? 4 : 0) + (version >= 5 ? 8 : 0) + 4;
}

function readFetch(reader: KafkaReader, request: KafkaRequest, flexible: boolean): void {
  const version = request.apiVersion;
  if (version <= 14) reader.int32(); // replica_id (a tagged field from v15)
  reader.int32(); // max_wait_ms
  reader.int32(); // min_bytes
  if (version >= 3) reader.int32(); // max_bytes
  if (version >= 4) reader.int8(); // isolation_level
  if (version >= 7) reader.skip(8); // session_id, session_epoch
  const topics = reader.arrayLength(flexible);
  for (let topic = 0; topic < topics && !reader.overrun; topic++) {
    // v13 names topics by id (a UUID), not by name.
    const name = version >= 13 ? uuidAt(reader) : reader.string(flexible);
    const partitions = reader.arrayLength(flexible);
    if (reader.overrun) return;
    if (name !== null && request.topics.length < MAX_TOPICS) request.topics.push(name);
    request.partitions += Math.max(0, partitions);
    for (let partition = 0; partition < partitions && !reader.overrun; partition++) {
      reader.skip(fetchPartitionBytes(version));
      if (flexible) reader.skipTaggedFields();
    }
    if (flexible) reader.skipTaggedFields();
  }
}

function readMetadata(reader: KafkaReader, request: KafkaRequest, flexible: boolean): void {
  // v0: an empty array means all topics; v1+: null means all topics.
  const topics = reader.arrayLength(flexible);
  for (let topic = 0; topic < topics && !reader.overrun; topic++) {
    if (request.apiVersion >= 10) reader.skip(16); // topic_id
    const name = reader.string(flexible);
    if (flexible) reader.skipTaggedFields();
    if (name !== null && !reader.overrun && request.topics.length < MAX_TOPICS) request.topics.push(name);
  }
}

/** A UUID as Kafka prints topic ids: base64url of the 16 bytes, unpadded. */
function uuidAt(reader: KafkaReader): string | null {
  const high = reader.int32();
  const parts = [high, reader.int32(), reader.int32(), reader.int32()];
  if (reader.overrun) return null;
  const bytes = Buffer.alloc(16);
  for (const [index, part] of parts.entries()) bytes.writeInt32BE(part, index * 4);
  return bytes.toString("base64url");
}
