// A fast decoder for the hot part of an Export batch: its RequestRecords and
// MetricSeries. protobuf-es decodes by reflection (~25 µs per record here, the
// largest cost on the ingest path, measured in bench/; a series with its
// histogram cost ~35 µs, a quarter of the collector's decoding at 1,000
// records/s); a tight wire-format loop over a per-field plan built once from
// the same generated schema is an order of magnitude cheaper and yields the
// same objects. Wire format: protobuf encoding guide
// (https://protobuf.dev/programming-guides/encoding/).
//
// Anything it does not know — a field added to the .proto later, a wire type
// it does not expect — makes that record (or the batch's other fields) go
// through protobuf-es instead, so a newer agent is decoded correctly, only
// slower. Tests compare both decoders over generated messages
// (export-request-decoder.test.ts, export-request-encoder.test.ts).
import { create, type DescMessage, fromBinary, ScalarType } from "@bufbuild/protobuf";
import {
  AgentInfoSchema,
  type ExportRequest,
  ExportRequestSchema,
  type MetricSeries,
  MetricSeriesSchema,
  type RequestRecord,
  RequestRecordSchema,
} from "./gen/periscope/agent/v1/ingest_pb.js";
import { WireReader, WireType } from "./wire-reader.js";

const { Varint: VARINT, Fixed64: FIXED64_WIRE, LengthDelimited: LENGTH_DELIMITED } = WireType;

/** Thrown inside the fast path for a field it does not decode; the caller falls back to protobuf-es. */
class UnknownField extends Error {}

type Target = Record<string, unknown>;
type FieldRead = (reader: WireReader, target: Target) => void;

interface MessagePlan {
  /** A default instance; each decoded message starts as a shallow copy. */
  template: Target;
  /** Map and list fields: each message needs its own object. */
  mapNames: string[];
  listNames: string[];
  /** Indexed by tag (field number << 3 | wire type): what reads that field. */
  reads: (FieldRead | undefined)[];
}

interface ScalarRead {
  wireType: number;
  read: (reader: WireReader) => unknown;
}

function scalarRead(scalar: ScalarType): ScalarRead | undefined {
  switch (scalar) {
    case ScalarType.STRING:
      return { wireType: LENGTH_DELIMITED, read: (r) => r.string() };
    case ScalarType.UINT32:
      return { wireType: VARINT, read: (r) => r.varint() >>> 0 };
    case ScalarType.INT32:
      return { wireType: VARINT, read: (r) => r.int32() };
    case ScalarType.SINT32:
      return {
        wireType: VARINT,
        // ZigZag (encoding guide, "Signed Integers"): 0, -1, 1, -2 … as 0, 1, 2, 3 …
        read: (r) => {
          const n = r.varint();
          return (n >>> 1) ^ -(n & 1);
        },
      };
    case ScalarType.UINT64:
      return { wireType: VARINT, read: (r) => r.varint64() };
    case ScalarType.FIXED64:
      return { wireType: FIXED64_WIRE, read: (r) => r.fixed64() };
    case ScalarType.DOUBLE:
      return { wireType: FIXED64_WIRE, read: (r) => r.double() };
    case ScalarType.BOOL:
      return { wireType: VARINT, read: (r) => r.varint() !== 0 };
    default:
      return undefined;
  }
}

const tag = (fieldNumber: number, wireType: number) => (fieldNumber << 3) | wireType;

/**
 * The decoding plan is derived once from the generated schema, so a field
 * added to the .proto is decoded here as soon as the code is regenerated; only
 * field kinds this reader does not implement (oneofs, repeated messages,
 * repeated strings, maps of other types) send a message to protobuf-es.
 */
function planFor(schema: DescMessage): MessagePlan {
  const reads: (FieldRead | undefined)[] = [];
  for (const field of schema.fields) {
    const name = field.localName;
    if (field.oneof !== undefined) continue;
    if (field.fieldKind === "scalar" && !field.longAsString) {
      const scalar = scalarRead(field.scalar);
      if (scalar !== undefined)
        reads[tag(field.number, scalar.wireType)] = (r, t) => {
          t[name] = scalar.read(r);
        };
    } else if (field.fieldKind === "enum") {
      reads[tag(field.number, VARINT)] = (r, t) => {
        t[name] = r.int32();
      };
    } else if (field.fieldKind === "message") {
      const message = field.message;
      reads[tag(field.number, LENGTH_DELIMITED)] = (r, t) => {
        // A repeated occurrence would have to be merged; protobuf-es does that.
        if (t[name] !== undefined) throw new UnknownField();
        const [start, end] = r.span();
        t[name] = decodeMessage(planOf(message), r.buf, start, end);
      };
    } else if (field.fieldKind === "list" && field.listKind === "scalar" && !field.longAsString) {
      const element = scalarRead(field.scalar);
      if (element === undefined || element.wireType === LENGTH_DELIMITED) continue;
      // Numbers come packed (proto3's default) or one per tag; parsers accept both (encoding guide, "Packed Repeated Fields").
      reads[tag(field.number, element.wireType)] = (r, t) => {
        (t[name] as unknown[]).push(element.read(r));
      };
      reads[tag(field.number, LENGTH_DELIMITED)] = (r, t) => {
        const [start, end] = r.span();
        const packed = new WireReader(r.buf, start, end);
        const list = t[name] as unknown[];
        while (packed.pos < end) list.push(element.read(packed));
      };
    } else if (
      field.fieldKind === "map" &&
      field.mapKey === ScalarType.STRING &&
      field.mapKind === "scalar" &&
      field.scalar === ScalarType.STRING
    ) {
      reads[tag(field.number, LENGTH_DELIMITED)] = (r, t) =>
        decodeStringMapEntry(r, t[name] as Record<string, string>);
    }
  }
  const template = create(schema) as unknown as Target;
  const namesOf = (kind: string) =>
    schema.fields.filter((field) => field.fieldKind === kind).map((field) => field.localName);
  return { template, mapNames: namesOf("map"), listNames: namesOf("list"), reads };
}

const plans = new Map<string, MessagePlan>();
function planOf(schema: DescMessage): MessagePlan {
  let plan = plans.get(schema.typeName);
  if (plan === undefined) {
    plan = planFor(schema);
    plans.set(schema.typeName, plan);
  }
  return plan;
}

function decodeMessage(plan: MessagePlan, buf: Buffer, start: number, end: number): Target {
  const target: Target = { ...plan.template };
  for (const name of plan.mapNames) target[name] = {};
  for (const name of plan.listNames) target[name] = [];
  const r = new WireReader(buf, start, end);
  while (r.pos < end) {
    const read = plan.reads[r.varint()];
    if (read === undefined) throw new UnknownField();
    read(r, target);
  }
  return target;
}

function decodeStringMapEntry(reader: WireReader, into: Record<string, string>): void {
  const [start, end] = reader.span();
  const r = new WireReader(reader.buf, start, end);
  let key = "";
  let value = "";
  while (r.pos < end) {
    const tag = r.varint();
    if ((tag & 7) !== LENGTH_DELIMITED) throw new UnknownField();
    if (tag >>> 3 === 1) key = r.string();
    else if (tag >>> 3 === 2) value = r.string();
    else throw new UnknownField();
  }
  into[key] = value;
}

/** One message on the fast path, or through protobuf-es when it holds a field the plan does not read. */
function decodeOrReflect<T>(schema: DescMessage, buf: Buffer, start: number, end: number): T {
  try {
    return decodeMessage(planOf(schema), buf, start, end) as T;
  } catch (error) {
    if (!(error instanceof UnknownField)) throw error;
    // A field this decoder does not know: the reflective decoder knows the schema.
    return fromBinary(schema, buf.subarray(start, end)) as T;
  }
}

/**
 * Decodes an ExportRequest; equal to fromBinary(ExportRequestSchema, bytes).
 * Throws on malformed bytes, as fromBinary does (gRPC then answers INTERNAL).
 */
export function decodeExportRequest(bytes: Buffer | Uint8Array): ExportRequest {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const r = new WireReader(buf, 0, buf.length);
  let agentId = "";
  let batchSeq = 0n;
  // The agent message is decoded alone when it occurs once (always, from our
  // agents); repeated occurrences merge, which protobuf-es does.
  const agentFields: { field: Buffer; payload: Buffer }[] = [];
  const requests: RequestRecord[] = [];
  const metrics: MetricSeries[] = [];
  // Fields decoded by protobuf-es, kept as raw bytes: connections and
  // profiles (one per profiling interval) are few per batch, so reflection
  // costs little there; and anything added to ExportRequest later.
  const rest: Buffer[] = [];
  while (r.pos < buf.length) {
    const fieldStart = r.pos;
    const tag = r.varint();
    const wireType = tag & 7;
    const field = tag >>> 3;
    if (field === 1 && wireType === LENGTH_DELIMITED) agentId = r.string();
    else if (field === 2 && wireType === VARINT) batchSeq = r.varint64();
    else if (field === 3 && wireType === LENGTH_DELIMITED) {
      const [start, end] = r.span();
      agentFields.push({ field: buf.subarray(fieldStart, end), payload: buf.subarray(start, end) });
    } else if (field === 4 && wireType === LENGTH_DELIMITED) {
      const [start, end] = r.span();
      requests.push(decodeOrReflect<RequestRecord>(RequestRecordSchema, buf, start, end));
    } else if (field === 6 && wireType === LENGTH_DELIMITED) {
      const [start, end] = r.span();
      metrics.push(decodeOrReflect<MetricSeries>(MetricSeriesSchema, buf, start, end));
    } else {
      r.skip(wireType);
      rest.push(buf.subarray(fieldStart, r.pos));
    }
  }
  if (agentFields.length > 1) rest.push(...agentFields.map((agent) => agent.field));
  const request =
    rest.length === 0 ? create(ExportRequestSchema) : fromBinary(ExportRequestSchema, Buffer.concat(rest));
  request.agentId = agentId;
  request.batchSeq = batchSeq;
  const single = agentFields.length === 1 ? agentFields[0] : undefined;
  if (single !== undefined) request.agent = fromBinary(AgentInfoSchema, single.payload);
  request.requests = requests;
  request.metrics = metrics;
  return request;
}
