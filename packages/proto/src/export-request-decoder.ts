// A fast decoder for the hot part of an Export batch: its RequestRecords.
// protobuf-es decodes by reflection (~25 µs per record here, the largest cost
// on the ingest path, measured in bench/); a tight wire-format loop over a
// per-field plan built once from the same generated schema is an order of
// magnitude cheaper and yields the same objects. Wire format: protobuf encoding guide
// (https://protobuf.dev/programming-guides/encoding/).
//
// Anything it does not know — a field added to the .proto later, a wire type
// it does not expect — makes that record (or the batch's other fields) go
// through protobuf-es instead, so a newer agent is decoded correctly, only
// slower. Tests compare both decoders over generated messages
// (export-request-decoder.test.ts, export-request-encoder.test.ts).
import { create, fromBinary, ScalarType } from "@bufbuild/protobuf";
import {
  AgentInfoSchema,
  EndpointSchema,
  type ExportRequest,
  ExportRequestSchema,
  type RequestRecord,
  RequestRecordSchema,
} from "./gen/periscope/agent/v1/ingest_pb.js";
import { WireReader, WireType } from "./wire-reader.js";

const { Varint: VARINT, Fixed64: FIXED64_WIRE, LengthDelimited: LENGTH_DELIMITED } = WireType;

/** Thrown inside the fast path for a field it does not decode; the caller falls back to protobuf-es. */
class UnknownField extends Error {}

type Target = Record<string, unknown>;

interface FieldPlan {
  wireType: number;
  read: (reader: WireReader, target: Target) => void;
}

interface MessagePlan {
  /** A default instance; each decoded message starts as a shallow copy. */
  template: Target;
  /** Map fields: each message needs its own object. */
  mapNames: string[];
  fields: (FieldPlan | undefined)[];
}

type MessageSchema = typeof RequestRecordSchema | typeof EndpointSchema;

function scalarPlan(name: string, scalar: ScalarType): FieldPlan | undefined {
  switch (scalar) {
    case ScalarType.STRING:
      return {
        wireType: LENGTH_DELIMITED,
        read: (r, t) => {
          t[name] = r.string();
        },
      };
    case ScalarType.UINT32:
      return {
        wireType: VARINT,
        read: (r, t) => {
          t[name] = r.varint() >>> 0;
        },
      };
    case ScalarType.INT32:
      return {
        wireType: VARINT,
        read: (r, t) => {
          t[name] = r.int32();
        },
      };
    case ScalarType.UINT64:
      return {
        wireType: VARINT,
        read: (r, t) => {
          t[name] = r.varint64();
        },
      };
    case ScalarType.FIXED64:
      return {
        wireType: FIXED64_WIRE,
        read: (r, t) => {
          t[name] = r.fixed64();
        },
      };
    case ScalarType.DOUBLE:
      return {
        wireType: FIXED64_WIRE,
        read: (r, t) => {
          t[name] = r.double();
        },
      };
    case ScalarType.BOOL:
      return {
        wireType: VARINT,
        read: (r, t) => {
          t[name] = r.varint() !== 0;
        },
      };
    default:
      return undefined;
  }
}

/**
 * The decoding plan is derived once from the generated schema, so a field
 * added to the .proto is decoded here as soon as the code is regenerated; only
 * field kinds this reader does not implement send a record to protobuf-es.
 */
function planFor(schema: MessageSchema): MessagePlan {
  const fields: (FieldPlan | undefined)[] = [];
  for (const field of schema.fields) {
    const name = field.localName;
    let plan: FieldPlan | undefined;
    if (field.fieldKind === "scalar" && !field.longAsString) plan = scalarPlan(name, field.scalar);
    else if (field.fieldKind === "enum")
      plan = {
        wireType: VARINT,
        read: (r, t) => {
          t[name] = r.int32();
        },
      };
    else if (field.fieldKind === "message" && field.message.typeName === EndpointSchema.typeName) {
      plan = {
        wireType: LENGTH_DELIMITED,
        read: (r, t) => {
          // A repeated occurrence would have to be merged; protobuf-es does that.
          if (t[name] !== undefined) throw new UnknownField();
          const [start, end] = r.span();
          t[name] = decodeMessage(endpointPlan(), r.buf, start, end);
        },
      };
    } else if (
      field.fieldKind === "map" &&
      field.mapKey === ScalarType.STRING &&
      field.mapKind === "scalar" &&
      field.scalar === ScalarType.STRING
    ) {
      plan = {
        wireType: LENGTH_DELIMITED,
        read: (r, t) => decodeStringMapEntry(r, t[name] as Record<string, string>),
      };
    }
    fields[field.number] = plan;
  }
  const template = create(schema) as unknown as Target;
  const mapNames = schema.fields.filter((field) => field.fieldKind === "map").map((field) => field.localName);
  return { template, mapNames, fields };
}

let endpointPlanCache: MessagePlan | undefined;
let recordPlanCache: MessagePlan | undefined;
const endpointPlan = () => (endpointPlanCache ??= planFor(EndpointSchema));
const recordPlan = () => (recordPlanCache ??= planFor(RequestRecordSchema));

function decodeMessage(plan: MessagePlan, buf: Buffer, start: number, end: number): Target {
  const target: Target = { ...plan.template };
  for (const name of plan.mapNames) target[name] = {};
  const r = new WireReader(buf, start, end);
  while (r.pos < end) {
    const tag = r.varint();
    const field = plan.fields[tag >>> 3];
    if (field === undefined || field.wireType !== (tag & 7)) throw new UnknownField();
    field.read(r, target);
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

function decodeRecord(buf: Buffer, start: number, end: number): RequestRecord {
  try {
    return decodeMessage(recordPlan(), buf, start, end) as unknown as RequestRecord;
  } catch (error) {
    if (!(error instanceof UnknownField)) throw error;
    // A field this decoder does not know: the reflective decoder knows the schema.
    return fromBinary(RequestRecordSchema, buf.subarray(start, end));
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
  // Fields decoded by protobuf-es, kept as raw bytes: connections and metric
  // series (field 6) are few per batch — one series per edge or endpoint and
  // interval against thousands of records — so reflection costs little there;
  // and anything added to ExportRequest later.
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
      requests.push(decodeRecord(buf, start, end));
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
  return request;
}
