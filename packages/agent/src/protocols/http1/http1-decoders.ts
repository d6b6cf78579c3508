import type { BufferReader } from "../buffer-reader.js";
import type { MessageDecoder } from "../message-decoder.js";
import { invalid, needsMoreData, ok, type ParseResult } from "../parse-result.js";
import type { BodyDecoder } from "./body-decoders.js";
import { requestBodyDecoder, responseBodyDecoder } from "./body-framing.js";
import {
  looksLikeRequestStart,
  looksLikeResponseStart,
  parseRequestHead,
  parseResponseHead,
  type RequestHead,
  type ResponseHead,
} from "./message-head.js";
import { Http1Limits, VERSION_PREFIX } from "./syntax.js";

export interface HttpRequestMessage {
  head: RequestHead;
  /** Head plus body as it crossed the wire (chunk framing included). */
  wireBytes: number;
}

export interface HttpResponseMessage {
  head: ResponseHead;
  wireBytes: number;
}

type Phase<Head> =
  | { name: "head" }
  | { name: "body"; head: Head; body: BodyDecoder }
  | { name: "awaiting-upgrade" }
  | { name: "tunnel" };

/** Request stream of one HTTP/1 connection. */
export class HttpRequestDecoder implements MessageDecoder<HttpRequestMessage> {
  readonly boundaryLookback = Http1Limits.maxMethodLength + 1;
  private phase: Phase<RequestHead> = { name: "head" };

  get midMessage(): boolean {
    return this.phase.name === "body";
  }

  get finished(): boolean {
    return this.phase.name === "tunnel";
  }

  /** The request whose head was read but whose body has not ended yet. */
  get requestInProgress(): RequestHead | undefined {
    return this.phase.name === "body" ? this.phase.head : undefined;
  }

  decode(reader: BufferReader): ParseResult<HttpRequestMessage> {
    if (this.phase.name === "awaiting-upgrade" || this.phase.name === "tunnel") return needsMoreData;
    if (this.phase.name === "head") {
      const head = parseRequestHead(reader);
      if (head.status !== "ok") return head;
      const body = requestBodyDecoder(head.value);
      if (typeof body === "string") return invalid(body);
      this.phase = { name: "body", head: head.value, body };
    }
    const { head, body } = this.phase;
    const result = body.consume(reader);
    if (result.status !== "ok") return result;
    this.phase = wantsProtocolSwitch(head) ? { name: "awaiting-upgrade" } : { name: "head" };
    return ok({ head, wireBytes: head.headBytes + result.value });
  }

  /** Called once the answer to an Upgrade/CONNECT request is known. */
  protocolSwitched(switched: boolean): void {
    if (switched) this.phase = { name: "tunnel" };
    else if (this.phase.name === "awaiting-upgrade") this.phase = { name: "head" };
  }

  absorbGap(length: number): boolean {
    return this.phase.name === "body" && this.phase.body.absorbGap(length);
  }

  cutAtGap(length: number): HttpRequestMessage | undefined {
    if (this.phase.name !== "body") return undefined;
    const { head, body } = this.phase;
    this.phase = { name: "head" };
    return { head, wireBytes: head.headBytes + body.consumedBytes + length };
  }

  endOfStream(): HttpRequestMessage | undefined {
    return undefined;
  }

  findFrameBoundary(bytes: Buffer, from: number): number {
    for (let index = from; index < bytes.length; index++) {
      const previous = index === 0 ? 0x0a : bytes[index - 1];
      if (previous === 0x0a && looksLikeRequestStart(bytes, index)) return index;
    }
    return -1;
  }

  reset(): void {
    if (this.phase.name !== "tunnel") this.phase = { name: "head" };
  }
}

/**
 * Response stream of one HTTP/1 connection. Whether a response has a body
 * depends on the request it answers (HEAD), so the pairing side tells it.
 */
export class HttpResponseDecoder implements MessageDecoder<HttpResponseMessage> {
  readonly boundaryLookback = VERSION_PREFIX.length;
  private phase: Phase<ResponseHead> = { name: "head" };
  /** Bytes of skipped 1xx responses, counted into the final response's size. */
  private informationalBytes = 0;

  constructor(private readonly methodOfNextAnsweredRequest: () => string | undefined) {}

  get midMessage(): boolean {
    return this.phase.name === "body" || this.informationalBytes > 0;
  }

  get finished(): boolean {
    return this.phase.name === "tunnel";
  }

  decode(reader: BufferReader): ParseResult<HttpResponseMessage> {
    if (this.phase.name === "tunnel" || this.phase.name === "awaiting-upgrade") return needsMoreData;
    while (this.phase.name === "head") {
      const head = parseResponseHead(reader);
      if (head.status !== "ok") return head;
      const { status } = head.value;
      // 1xx other than 101 precede the final response (RFC 9110 §15.2): skip them.
      if (status >= 100 && status < 200 && status !== 101) {
        this.informationalBytes += head.value.headBytes;
        continue;
      }
      const method = this.methodOfNextAnsweredRequest();
      const switching = status === 101 || (method === "CONNECT" && status >= 200 && status < 300);
      if (switching) {
        this.phase = { name: "tunnel" };
        return ok(this.complete(head.value, 0));
      }
      const body = responseBodyDecoder(head.value, method);
      if (typeof body === "string") return invalid(body);
      this.phase = { name: "body", head: head.value, body };
    }
    if (this.phase.name !== "body") return needsMoreData;
    const { head, body } = this.phase;
    const result = body.consume(reader);
    if (result.status !== "ok") return result;
    this.phase = { name: "head" };
    return ok(this.complete(head, result.value));
  }

  absorbGap(length: number): boolean {
    return this.phase.name === "body" && this.phase.body.absorbGap(length);
  }

  cutAtGap(length: number): HttpResponseMessage | undefined {
    if (this.phase.name !== "body") return undefined;
    const { head, body } = this.phase;
    this.phase = { name: "head" };
    return this.complete(head, body.consumedBytes + length);
  }

  endOfStream(): HttpResponseMessage | undefined {
    if (this.phase.name !== "body" || !this.phase.body.delimitedByClose) return undefined;
    const { head, body } = this.phase;
    this.phase = { name: "head" };
    return this.complete(head, body.consumedBytes);
  }

  findFrameBoundary(bytes: Buffer, from: number): number {
    for (let index = bytes.indexOf(VERSION_PREFIX, from, "latin1"); index >= 0; ) {
      if (looksLikeResponseStart(bytes, index)) return index;
      index = bytes.indexOf(VERSION_PREFIX, index + 1, "latin1");
    }
    return -1;
  }

  reset(): void {
    if (this.phase.name !== "tunnel") this.phase = { name: "head" };
    this.informationalBytes = 0;
  }

  private complete(head: ResponseHead, bodyBytes: number): HttpResponseMessage {
    const wireBytes = this.informationalBytes + head.headBytes + bodyBytes;
    this.informationalBytes = 0;
    return { head, wireBytes };
  }
}

function wantsProtocolSwitch(head: RequestHead): boolean {
  if (head.method === "CONNECT") return true;
  const connection = head.headers.get("connection")?.toLowerCase() ?? "";
  return head.headers.has("upgrade") && connection.split(",").some((option) => option.trim() === "upgrade");
}
