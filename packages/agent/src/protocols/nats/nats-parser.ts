import type { ConnectionProtocolParser, MessageTiming } from "../message-decoder.js";
import { NatsDecoder, type NatsMessage } from "./nats-decoder.js";
import { CLIENT_VERBS, NatsVerb, SERVER_VERBS } from "./nats-syntax.js";

/** One record's worth of NATS traffic. */
export interface NatsExchange {
  operation: string;
  target: string;
  /** The status of an HMSG's header block ("NATS/1.0 503" is "no responders"); 0 otherwise. */
  status: number;
  error: boolean;
  attributes: Record<string, string>;
  traceparent: string | undefined;
  requestBytes: number;
  responseBytes: number;
  startNs: bigint;
  endNs: bigint;
  truncated: boolean;
}

interface Pending {
  message: NatsMessage;
  timing: MessageTiming;
}

const MAX_PENDING = 4096;
const MAX_SUBSCRIPTIONS = 4096;
const PAYLOAD_VERBS: ReadonlySet<string> = new Set([
  NatsVerb.Pub,
  NatsVerb.Hpub,
  NatsVerb.Msg,
  NatsVerb.Hmsg,
]);
const STATUS_LINE = /^NATS\/1\.0[ \t]+(\d{3})/;

/**
 * Records of one NATS connection. The protocol answers nothing by default:
 * with `"verbose": false` (every client library's default) PUB, SUB and UNSUB
 * get no reply, so each is recorded as soon as it is read, with no response.
 * In verbose mode the server acknowledges CONNECT, PUB, HPUB, SUB and UNSUB
 * in order with +OK, or -ERR in its place (nats-server client.go, processPub/
 * processSub: "if c.opts.Verbose { c.sendOK() }"), and each is recorded when
 * its answer arrives. CONNECT is recorded when the server first answers after
 * it (+OK, -ERR, or the PONG to the PING every client sends after CONNECT).
 * A -ERR that answers nothing pending (non-verbose mode) is its own record,
 * operation "ERR". A MSG/HMSG delivered to a subscriber is a record, operation
 * "MSG", with the delivery as the request and no response. PING/PONG are not recorded.
 */
export class NatsParser implements ConnectionProtocolParser<NatsMessage, NatsMessage, NatsExchange> {
  readonly protocol = "nats";
  readonly requests = new NatsDecoder(CLIENT_VERBS);
  readonly responses = new NatsDecoder(SERVER_VERBS);
  /** Unknown until CONNECT is seen; a +OK seen first proves verbose mode. */
  private verbose: boolean | undefined;
  private connect: Pending | undefined;
  private readonly awaitingAck: Pending[] = [];
  private readonly subjectsBySid = new Map<string, string>();
  droppedRequests = 0;

  get unansweredRequests(): number {
    return this.awaitingAck.length + (this.connect === undefined ? 0 : 1);
  }

  onRequest(message: NatsMessage, timing: MessageTiming): NatsExchange | undefined {
    if (message.verb === NatsVerb.Connect) {
      this.verbose = message.info.verbose === true;
      if (this.verbose) this.push({ message, timing });
      else this.connect = { message, timing };
      return undefined;
    }
    if (message.verb === NatsVerb.Sub) this.remember(message.sid, message.subject);
    if (message.verb === NatsVerb.Ping || message.verb === NatsVerb.Pong) return undefined;
    if (this.verbose === true) {
      this.push({ message, timing });
      return undefined;
    }
    return this.exchange({ message, timing }, undefined, timing);
  }

  onResponse(message: NatsMessage, timing: MessageTiming): NatsExchange | undefined {
    switch (message.verb) {
      case NatsVerb.Msg:
      case NatsVerb.Hmsg:
        return this.exchange({ message, timing }, undefined, timing);
      case NatsVerb.Ok: {
        if (this.verbose !== true) {
          // Joined mid-connection: the +OK proves verbose mode; what it answers was not seen.
          this.verbose = true;
          return undefined;
        }
        const acknowledged = this.awaitingAck.shift();
        return acknowledged === undefined ? undefined : this.exchange(acknowledged, message, timing);
      }
      case NatsVerb.Err: {
        const failed = this.awaitingAck.shift() ?? this.takeConnect();
        return this.exchange(failed ?? { message, timing }, message, timing);
      }
      case NatsVerb.Pong: {
        const connect = this.takeConnect();
        return connect === undefined ? undefined : this.exchange(connect, message, timing);
      }
      default:
        return undefined;
    }
  }

  private takeConnect(): Pending | undefined {
    const connect = this.connect;
    this.connect = undefined;
    return connect;
  }

  private push(pending: Pending): void {
    if (this.awaitingAck.length >= MAX_PENDING) {
      this.awaitingAck.shift();
      this.droppedRequests++;
    }
    this.awaitingAck.push(pending);
  }

  private remember(sid: string, subject: string): void {
    if (this.subjectsBySid.size >= MAX_SUBSCRIPTIONS && !this.subjectsBySid.has(sid)) {
      const oldest = this.subjectsBySid.keys().next().value;
      if (oldest !== undefined) this.subjectsBySid.delete(oldest);
    }
    this.subjectsBySid.set(sid, subject);
  }

  private exchange(request: Pending, answer: NatsMessage | undefined, timing: MessageTiming): NatsExchange {
    const { message } = request;
    const attributes: Record<string, string> = {};
    let operation: string = message.verb;
    let target = message.subject;
    let status = 0;
    let error = answer?.verb === NatsVerb.Err;
    if (message.verb === NatsVerb.Err) operation = "ERR";
    if (message.verb === NatsVerb.Hpub) operation = NatsVerb.Pub;
    if (message.verb === NatsVerb.Hmsg) operation = NatsVerb.Msg;
    if (message.verb === NatsVerb.Unsub) target = this.subjectsBySid.get(message.sid) ?? "";
    if (message.replyTo !== "") attributes["nats.reply_to"] = message.replyTo;
    if (message.queueGroup !== "") attributes["nats.queue_group"] = message.queueGroup;
    if (message.sid !== "") attributes["nats.sid"] = message.sid;
    if (PAYLOAD_VERBS.has(message.verb)) {
      attributes["nats.payload_bytes"] = String(message.payloadBytes - message.headerBytes);
    }
    if (message.headerBytes > 0) attributes["nats.header_bytes"] = String(message.headerBytes);
    if (message.verb === NatsVerb.Connect) {
      if (message.info.name !== undefined) attributes["nats.client_name"] = message.info.name;
      if (message.info.lang !== undefined) attributes["nats.client_lang"] = message.info.lang;
      if (message.info.version !== undefined) attributes["nats.client_version"] = message.info.version;
      attributes["nats.verbose"] = String(message.info.verbose === true);
    }
    const statusLine = STATUS_LINE.exec(message.headers);
    if (statusLine !== null) {
      status = Number(statusLine[1]);
      error = status >= 500;
    }
    const errorText = answer?.verb === NatsVerb.Err ? answer.errorText : message.errorText;
    if (error || message.verb === NatsVerb.Err) {
      error = true;
      if (errorText !== "") attributes["nats.error"] = errorText;
    }
    return {
      operation,
      target,
      status,
      error,
      attributes,
      traceparent: headerValue(message.headers, "traceparent"),
      requestBytes: message.wireBytes,
      responseBytes: answer === undefined || answer === message ? 0 : answer.wireBytes,
      startNs: request.timing.firstByteNs,
      endNs: timing.lastByteNs,
      truncated: request.timing.truncated || (answer !== undefined && timing.truncated),
    };
  }
}

/** A header's value from a NATS header block (names compare case-insensitively, as in HTTP). */
function headerValue(block: string, name: string): string | undefined {
  for (const line of block.split("\r\n").slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === name) return line.slice(colon + 1).trim();
  }
  return undefined;
}
