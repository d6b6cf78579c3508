import { MqttLimits, PacketType, ProtocolLevel } from "./mqtt-syntax.js";

/** What a record needs of one control packet. */
export interface MqttPacket {
  type: PacketType;
  /** The low nibble of the first byte (PUBLISH: DUP, QoS, RETAIN). */
  flags: number;
  packetId: number;
  /** PUBLISH topic, CONNECT client id. */
  topic: string;
  qos: number;
  retain: boolean;
  /** SUBSCRIBE/UNSUBSCRIBE topic filters (the first few). */
  filters: string[];
  /** CONNACK return code, 5.0 reason codes of acks, SUBACK/UNSUBACK codes (one per filter). */
  codes: number[];
  /** CONNECT's protocol level. */
  protocolLevel: number;
  keepAlive: number;
  cleanStart: boolean;
  payloadBytes: number;
  wireBytes: number;
}

export function emptyPacket(type: PacketType, flags: number): MqttPacket {
  return {
    type,
    flags,
    packetId: 0,
    topic: "",
    qos: 0,
    retain: false,
    filters: [],
    codes: [],
    protocolLevel: 0,
    keepAlive: 0,
    cleanStart: false,
    payloadBytes: 0,
    wireBytes: 0,
  };
}

/** A cursor over one packet's bytes; reads past the end set `overrun` instead of throwing. */
export class PacketCursor {
  position = 0;
  overrun = false;

  constructor(private readonly bytes: Buffer) {}

  get remaining(): number {
    return this.bytes.length - this.position;
  }

  byte(): number {
    const value = this.bytes[this.position];
    if (value === undefined) {
      this.overrun = true;
      return 0;
    }
    this.position++;
    return value;
  }

  uint16(): number {
    return (this.byte() << 8) | this.byte();
  }

  /** A UTF-8 string with a two-byte length (3.1.1 §1.5.3, 5.0 §1.5.4). */
  string(): string {
    const length = this.uint16();
    if (length > this.remaining) {
      this.overrun = true;
      return "";
    }
    const text = this.bytes.toString(
      "utf8",
      this.position,
      this.position + Math.min(length, MqttLimits.maxKeptString),
    );
    this.position += length;
    return text;
  }

  /** Variable byte integer (5.0 §1.5.5); undefined when malformed. */
  varint(): number | undefined {
    let value = 0;
    for (let index = 0; index < 4; index++) {
      const byte = this.byte();
      value += (byte & 0x7f) * 128 ** index;
      if ((byte & 0x80) === 0) return value;
    }
    this.overrun = true;
    return undefined;
  }

  /** 5.0 properties: a length then that many bytes; none of them is recorded. */
  skipProperties(): void {
    const length = this.varint();
    if (length === undefined || length > this.remaining) {
      this.overrun = true;
      return;
    }
    this.position += length;
  }
}

/**
 * Fills `packet` from its variable header and payload (`body`), for every type
 * but PUBLISH. Returns why the bytes are not that packet, or undefined.
 * CONNECT's username and password follow the client id in the payload and are never read.
 */
export function readBody(packet: MqttPacket, body: Buffer, version: number): string | undefined {
  const cursor = new PacketCursor(body);
  const v5 = version === ProtocolLevel.V5;
  switch (packet.type) {
    case PacketType.Connect: {
      const name = cursor.string();
      if (name !== "MQTT" && name !== "MQIsdp") return "CONNECT without an MQTT protocol name";
      packet.protocolLevel = cursor.byte();
      const flags = cursor.byte();
      packet.cleanStart = (flags & 0x02) !== 0;
      packet.keepAlive = cursor.uint16();
      if (packet.protocolLevel === ProtocolLevel.V5) cursor.skipProperties();
      packet.topic = cursor.string();
      break;
    }
    case PacketType.Connack:
      cursor.byte(); // session present
      packet.codes = [cursor.byte()];
      break;
    case PacketType.Puback:
    case PacketType.Pubrec:
    case PacketType.Pubrel:
    case PacketType.Pubcomp:
      packet.packetId = cursor.uint16();
      // 5.0 §3.4.2.1: a Remaining Length of 2 means reason code 0x00 (Success).
      packet.codes = [cursor.remaining > 0 ? cursor.byte() : 0];
      break;
    case PacketType.Subscribe:
    case PacketType.Unsubscribe:
      packet.packetId = cursor.uint16();
      if (v5) cursor.skipProperties();
      while (cursor.remaining > 0 && !cursor.overrun) {
        const filter = cursor.string();
        if (packet.type === PacketType.Subscribe) cursor.byte(); // subscription options / requested QoS
        if (packet.filters.length < MqttLimits.maxKeptFilters) packet.filters.push(filter);
      }
      break;
    case PacketType.Suback:
    case PacketType.Unsuback:
      packet.packetId = cursor.uint16();
      if (v5) cursor.skipProperties();
      // 3.1.1's UNSUBACK has no payload; 5.0's has one reason code per filter.
      while (cursor.remaining > 0 && !cursor.overrun) packet.codes.push(cursor.byte());
      break;
    case PacketType.Disconnect:
    case PacketType.Auth:
      packet.codes = [cursor.remaining > 0 ? cursor.byte() : 0];
      break;
    default:
      break;
  }
  return cursor.overrun ? `${packet.type} shorter than its fields` : undefined;
}
