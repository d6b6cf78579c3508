// The NATS client protocol (docs.nats.io/reference/reference-protocols/nats-protocol):
// text control lines ending in CRLF, verbs case-insensitive, fields separated by
// spaces or tabs; PUB/HPUB/MSG/HMSG are followed by a payload of the announced
// size and CRLF. HPUB/HMSG payloads start with a header block of the announced
// header size ("NATS/1.0[ status]\r\n" then MIME-style headers, ADR-4).

/** Control-line verbs, in upper case; the wire may use any case. */
export const NatsVerb = {
  Info: "INFO", // server → client, JSON
  Connect: "CONNECT", // client → server, JSON
  Pub: "PUB", // client → server: subject [reply-to] #bytes
  Hpub: "HPUB", // client → server: subject [reply-to] #header-bytes #total-bytes
  Sub: "SUB", // client → server: subject [queue group] sid
  Unsub: "UNSUB", // client → server: sid [max-msgs]
  Msg: "MSG", // server → client: subject sid [reply-to] #bytes
  Hmsg: "HMSG", // server → client: subject sid [reply-to] #header-bytes #total-bytes
  Ping: "PING", // either way
  Pong: "PONG", // either way
  Ok: "+OK", // server → client, verbose mode acknowledgement
  Err: "-ERR", // server → client: '-ERR <quoted message>'
} as const;
export type NatsVerb = (typeof NatsVerb)[keyof typeof NatsVerb];

export const CLIENT_VERBS: ReadonlySet<string> = new Set([
  NatsVerb.Connect,
  NatsVerb.Pub,
  NatsVerb.Hpub,
  NatsVerb.Sub,
  NatsVerb.Unsub,
  NatsVerb.Ping,
  NatsVerb.Pong,
]);

export const SERVER_VERBS: ReadonlySet<string> = new Set([
  NatsVerb.Info,
  NatsVerb.Msg,
  NatsVerb.Hmsg,
  NatsVerb.Ping,
  NatsVerb.Pong,
  NatsVerb.Ok,
  NatsVerb.Err,
]);

export const NatsLimits = {
  /**
   * Longest control line we wait for. The server's max_control_line is 4 KiB by
   * default, but INFO (connect_urls) and CONNECT (a JWT) can be longer.
   */
  maxLineLength: 64 * 1024,
  /** The server's max_payload caps at 64 MiB (nats-server MAX_PAYLOAD_MAX_SIZE). */
  maxPayload: 64 * 1024 * 1024,
  /** Header blocks kept for the status line and traceparent. */
  maxKeptHeaders: 4096,
  maxKeptString: 256,
} as const;
