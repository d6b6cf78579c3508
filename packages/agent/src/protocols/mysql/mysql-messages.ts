// Fields of the packet payloads the parser reads. Payloads are kept prefixes,
// so reads past the end give undefined; nothing here throws.
import { Capability } from "./mysql-wire.js";

/** A cursor over a payload prefix, with the protocol's integer and string types. */
class PayloadReader {
  position = 0;
  constructor(private readonly payload: Buffer) {}

  get remaining(): number {
    return this.payload.length - this.position;
  }

  uint(bytes: number): number | undefined {
    if (this.position + bytes > this.payload.length) return undefined;
    const value = this.payload.readUIntLE(this.position, bytes);
    this.position += bytes;
    return value;
  }

  /** Length-encoded integer (page "Integer Types"): < 0xfb itself, 0xfc/0xfd/0xfe then 2/3/8 bytes. */
  lenenc(): number | undefined {
    const first = this.uint(1);
    if (first === undefined || first < 0xfb) return first;
    if (first === 0xfc) return this.uint(2);
    if (first === 0xfd) return this.uint(3);
    if (first !== 0xfe) return undefined;
    const low = this.uint(4);
    const high = this.uint(4);
    return low === undefined || high === undefined ? undefined : high * 2 ** 32 + low;
  }

  /** A NUL-terminated string; the rest when the NUL was cut off. */
  cstring(): string {
    const end = this.payload.indexOf(0, this.position);
    const stop = end < 0 ? this.payload.length : end;
    const text = this.payload.toString("utf8", this.position, stop);
    this.position = end < 0 ? stop : stop + 1;
    return text;
  }

  skip(bytes: number): void {
    this.position = Math.min(this.payload.length, this.position + bytes);
  }
}

/** A command's SQL (COM_QUERY, COM_STMT_PREPARE) or schema name (COM_INIT_DB): the payload after the command byte. */
export function commandText(body: Buffer): string {
  const text = body.toString("utf8", 1);
  // The kept-bytes cut may split a character.
  return text.endsWith("\ufffd") ? text.slice(0, -1) : text;
}

/** The statement id after a COM_STMT_* command byte. */
export function commandStatementId(body: Buffer): number | undefined {
  return body.length >= 5 ? body.readUInt32LE(1) : undefined;
}

export interface ServerHandshake {
  serverVersion: string;
  capabilities: number;
}

/** Protocol::HandshakeV10 (page "Initial Handshake"). */
export function serverHandshake(body: Buffer): ServerHandshake {
  const reader = new PayloadReader(body);
  reader.skip(1);
  const serverVersion = reader.cstring().slice(0, 64);
  // connection id (4), auth-plugin-data-part-1 (8), filler (1)
  reader.skip(13);
  const low = reader.uint(2) ?? 0;
  reader.skip(3); // character set (1), status flags (2)
  const high = reader.uint(2) ?? 0;
  return { serverVersion, capabilities: (high << 16) | low };
}

export interface ClientHandshake {
  capabilities: number;
  user: string;
  database: string | undefined;
  /** An SSLRequest: the capabilities alone with CLIENT_SSL; TLS follows. */
  sslRequest: boolean;
}

/**
 * Protocol::HandshakeResponse41 (page "Handshake Response"). The auth data is
 * stepped over, and then overwritten in `body`, so no copy of it outlives this call.
 */
export function clientHandshake(body: Buffer, payloadLength: number): ClientHandshake | undefined {
  const reader = new PayloadReader(body);
  const capabilities = reader.uint(4);
  if (capabilities === undefined || (capabilities & Capability.Protocol41) === 0) return undefined;
  // max packet size (4), character set (1), filler (23)
  reader.skip(28);
  if (payloadLength === 32) return { capabilities, user: "", database: undefined, sslRequest: true };
  const user = reader.cstring().slice(0, 256);
  const authStart = reader.position;
  let authLength: number | undefined;
  if (capabilities & Capability.PluginAuthLenencClientData) authLength = reader.lenenc();
  else if (capabilities & Capability.SecureConnection) authLength = reader.uint(1);
  else authLength = Math.max(0, body.indexOf(0, reader.position) - reader.position) + 1;
  reader.skip(authLength ?? 0);
  body.fill(0, authStart, Math.min(body.length, reader.position));
  const database = capabilities & Capability.ConnectWithDb ? reader.cstring().slice(0, 256) : undefined;
  return { capabilities, user, database: database === "" ? undefined : database, sslRequest: false };
}

export interface OkFields {
  affectedRows: number | undefined;
  statusFlags: number;
}

/** OK_Packet, or EOF_Packet (0xfe, warnings, status) told apart by length. */
export function okFields(body: Buffer, payloadLength: number): OkFields {
  const reader = new PayloadReader(body);
  reader.skip(1);
  if (body[0] === 0xfe && payloadLength < 7) {
    reader.skip(2);
    return { affectedRows: undefined, statusFlags: reader.uint(2) ?? 0 };
  }
  const affectedRows = reader.lenenc();
  reader.lenenc(); // last insert id
  return { affectedRows, statusFlags: reader.uint(2) ?? 0 };
}

export interface ErrFields {
  code: number;
  sqlstate: string;
  message: string;
}

/** ERR_Packet: 0xff, error code (2), with CLIENT_PROTOCOL_41 '#' and a 5-byte SQLSTATE, then the message. */
export function errFields(body: Buffer): ErrFields {
  const reader = new PayloadReader(body);
  reader.skip(1);
  const code = reader.uint(2) ?? 0;
  let sqlstate = "";
  if (body[3] === 0x23 /* '#' */) {
    sqlstate = body.toString("latin1", 4, 9);
    reader.skip(6);
  }
  const message = body.toString("utf8", reader.position);
  return { code, sqlstate, message: message.endsWith("\ufffd") ? message.slice(0, -1) : message };
}

export interface PrepareOk {
  statementId: number;
  columns: number;
  params: number;
}

/** COM_STMT_PREPARE_OK: 0x00, statement id (4), columns (2), params (2), filler, warnings. */
export function prepareOk(body: Buffer): PrepareOk | undefined {
  if (body.length < 9) return undefined;
  return { statementId: body.readUInt32LE(1), columns: body.readUInt16LE(5), params: body.readUInt16LE(7) };
}

/** A result set's column count: the packet is just a length-encoded integer. */
export function columnCount(body: Buffer): number | undefined {
  return new PayloadReader(body).lenenc();
}
