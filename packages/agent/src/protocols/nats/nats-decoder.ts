import type { BufferReader } from "../buffer-reader.js";
import type { MessageDecoder } from "../message-decoder.js";
import { invalid, needsMoreData, ok, type ParseResult } from "../parse-result.js";
import { NatsLimits, NatsVerb } from "./nats-syntax.js";

/** One protocol message, with what a record needs of it. */
export interface NatsMessage {
  verb: NatsVerb;
  subject: string;
  replyTo: string;
  sid: string;
  queueGroup: string;
  /** Payload size, headers included (PUB/HPUB/MSG/HMSG). */
  payloadBytes: number;
  headerBytes: number;
  /** The header block of HPUB/HMSG when it fits the kept size, else "". */
  headers: string;
  /** INFO/CONNECT fields a record may show; secrets (pass, auth_token, sig, jwt, nkey) are never read. */
  info: { verbose?: boolean; name?: string; lang?: string; version?: string };
  /** -ERR's message without its quotes. */
  errorText: string;
  wireBytes: number;
}

const CR = 0x0d;
const LF = 0x0a;
const SIZE = /^\d{1,9}$/;

interface PayloadState {
  message: NatsMessage;
  left: number;
  trailerLeft: number;
  kept: Buffer[];
  keptLength: number;
}

/** Decodes one direction of a NATS connection; payloads stream past and are never buffered. */
export class NatsDecoder implements MessageDecoder<NatsMessage> {
  readonly boundaryLookback = "CONNECT ".length;
  private payload: PayloadState | undefined;

  constructor(private readonly verbs: ReadonlySet<string>) {}

  get midMessage(): boolean {
    return this.payload !== undefined;
  }

  get finished(): boolean {
    return false;
  }

  decode(reader: BufferReader): ParseResult<NatsMessage> {
    if (this.payload !== undefined) return this.readPayload(reader, this.payload);
    if (reader.remaining === 0) return needsMoreData;
    const end = reader.indexOf("\n", NatsLimits.maxLineLength + 2);
    if (end < 0) {
      // Fail early on bytes that cannot start a verb, so garbage is skipped at once.
      const start = reader.position;
      const head = reader.readBytes(8);
      reader.rewind(start);
      if (!this.couldStartVerb(head)) return invalid("not a NATS protocol verb");
      if (reader.remaining > NatsLimits.maxLineLength + 1) return invalid("NATS control line too long");
      return needsMoreData;
    }
    const raw = reader.readBytes(end + 1);
    const line = raw.toString("latin1", 0, raw.length - (raw[raw.length - 2] === CR ? 2 : 1));
    const space = line.search(/[ \t]/);
    const verb = (space < 0 ? line : line.slice(0, space)).toUpperCase();
    if (!this.verbs.has(verb)) return invalid(`not a NATS verb here: ${verb.slice(0, 16)}`);
    const rest = space < 0 ? "" : line.slice(space + 1).trim();
    const message = emptyMessage(verb as NatsVerb, raw.length);
    return this.fill(message, rest, reader);
  }

  private couldStartVerb(bytes: Buffer): boolean {
    const text = bytes.toString("latin1").toUpperCase();
    for (const verb of this.verbs) {
      const length = Math.min(text.length, verb.length);
      if (text.slice(0, length) === verb.slice(0, length)) return true;
    }
    return false;
  }

  private fill(message: NatsMessage, rest: string, reader: BufferReader): ParseResult<NatsMessage> {
    const fields = rest === "" ? [] : rest.split(/[ \t]+/);
    const keep = (text: string | undefined) => (text ?? "").slice(0, NatsLimits.maxKeptString);
    switch (message.verb) {
      case NatsVerb.Info:
      case NatsVerb.Connect:
        message.info = readInfo(rest);
        return ok(message);
      case NatsVerb.Sub:
        if (fields.length !== 2 && fields.length !== 3) return invalid("SUB wants subject [queue] sid");
        message.subject = keep(fields[0]);
        message.queueGroup = fields.length === 3 ? keep(fields[1]) : "";
        message.sid = keep(fields[fields.length - 1]);
        return ok(message);
      case NatsVerb.Unsub:
        if (fields.length !== 1 && fields.length !== 2) return invalid("UNSUB wants sid [max]");
        message.sid = keep(fields[0]);
        return ok(message);
      case NatsVerb.Err:
        message.errorText = keep(rest.replace(/^'(.*)'$/, "$1"));
        return ok(message);
      case NatsVerb.Ping:
      case NatsVerb.Pong:
      case NatsVerb.Ok:
        return ok(message);
      default:
        return this.withPayload(message, fields, reader);
    }
  }

  private withPayload(
    message: NatsMessage,
    fields: string[],
    reader: BufferReader,
  ): ParseResult<NatsMessage> {
    const headed = message.verb === NatsVerb.Hpub || message.verb === NatsVerb.Hmsg;
    const delivery = message.verb === NatsVerb.Msg || message.verb === NatsVerb.Hmsg;
    const sizes = headed ? 2 : 1;
    // MSG carries a sid after the subject; PUB does not.
    const fixed = 1 + (delivery ? 1 : 0) + sizes;
    if (fields.length !== fixed && fields.length !== fixed + 1) return invalid(`${message.verb} arity`);
    const sizeFields = fields.slice(fields.length - sizes);
    if (!sizeFields.every((field) => SIZE.test(field)))
      return invalid(`${message.verb} size is not a number`);
    message.subject = (fields[0] ?? "").slice(0, NatsLimits.maxKeptString);
    if (delivery) message.sid = (fields[1] ?? "").slice(0, NatsLimits.maxKeptString);
    if (fields.length === fixed + 1)
      message.replyTo = (fields[fixed - sizes] ?? "").slice(0, NatsLimits.maxKeptString);
    const total = Number(sizeFields[sizes - 1]);
    message.headerBytes = headed ? Number(sizeFields[0]) : 0;
    if (message.headerBytes > total || total > NatsLimits.maxPayload) return invalid(`${message.verb} sizes`);
    message.payloadBytes = total;
    const state = { message, left: total, trailerLeft: 2, kept: [], keptLength: 0 };
    this.payload = state;
    return this.readPayload(reader, state);
  }

  private readPayload(reader: BufferReader, state: PayloadState): ParseResult<NatsMessage> {
    const { message } = state;
    if (state.left > 0) {
      const bytes = reader.readBytes(state.left);
      const offset = message.payloadBytes - state.left;
      const keepUpTo = message.headerBytes <= NatsLimits.maxKeptHeaders ? message.headerBytes : 0;
      if (offset < keepUpTo) state.kept.push(Buffer.from(bytes.subarray(0, keepUpTo - offset)));
      state.left -= bytes.length;
      message.wireBytes += bytes.length;
      if (state.left > 0) return needsMoreData;
    }
    while (state.trailerLeft > 0) {
      const byte = reader.peekByte();
      if (byte === undefined) return needsMoreData;
      if (byte !== (state.trailerLeft === 2 ? CR : LF)) {
        // Consumed first, so the resync starts after it whether or not the
        // payload before it arrived in this same read (the same records at any chunking).
        reader.skip(1);
        return invalid("NATS payload not ended by CRLF");
      }
      reader.skip(1);
      message.wireBytes++;
      state.trailerLeft--;
    }
    message.headers = Buffer.concat(state.kept).toString("latin1");
    this.payload = undefined;
    return ok(message);
  }

  absorbGap(length: number): boolean {
    const state = this.payload;
    if (state === undefined || length > state.left + state.trailerLeft) return false;
    const fromPayload = Math.min(length, state.left);
    state.left -= fromPayload;
    state.trailerLeft -= length - fromPayload;
    state.message.wireBytes += length;
    return true;
  }

  cutAtGap(length: number): NatsMessage | undefined {
    const state = this.payload;
    if (state === undefined) return undefined;
    this.payload = undefined;
    state.message.wireBytes += length;
    return state.message;
  }

  endOfStream(): NatsMessage | undefined {
    return undefined;
  }

  /** A line start followed by one of this direction's verbs and a separator. */
  findFrameBoundary(bytes: Buffer, from: number): number {
    for (let index = from; index < bytes.length; index++) {
      if (index > 0 && bytes[index - 1] !== LF) continue;
      const head = bytes.toString("latin1", index, index + this.boundaryLookback + 1).toUpperCase();
      for (const verb of this.verbs) {
        if (!head.startsWith(verb)) continue;
        const after = head.charCodeAt(verb.length);
        if (after === 0x20 || after === 0x09 || after === CR || after === LF) return index;
      }
    }
    return -1;
  }

  reset(): void {
    this.payload = undefined;
  }
}

function emptyMessage(verb: NatsVerb, lineBytes: number): NatsMessage {
  return {
    verb,
    subject: "",
    replyTo: "",
    sid: "",
    queueGroup: "",
    payloadBytes: 0,
    headerBytes: 0,
    headers: "",
    info: {},
    errorText: "",
    wireBytes: lineBytes,
  };
}

/** The non-secret fields of INFO/CONNECT's JSON; anything unparsable yields none. */
function readInfo(json: string): NatsMessage["info"] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return {};
  }
  if (typeof parsed !== "object" || parsed === null) return {};
  const fields = parsed as Record<string, unknown>;
  const text = (value: unknown) =>
    typeof value === "string" ? value.slice(0, NatsLimits.maxKeptString) : undefined;
  const info: NatsMessage["info"] = {};
  if (typeof fields.verbose === "boolean") info.verbose = fields.verbose;
  const name = text(fields.name);
  const lang = text(fields.lang);
  const version = text(fields.version);
  if (name !== undefined) info.name = name;
  if (lang !== undefined) info.lang = lang;
  if (version !== undefined) info.version = version;
  return info;
}
