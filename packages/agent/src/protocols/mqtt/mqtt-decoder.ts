import type { BufferReader } from "../buffer-reader.js";
import { LargeMessageSkip } from "../large-message-skip.js";
import type { MessageDecoder } from "../message-decoder.js";
import { invalid, needsMoreData, ok, type ParseResult } from "../parse-result.js";
import { emptyPacket, type MqttPacket, PacketCursor, readBody } from "./mqtt-packet.js";
import { FLAGS_0010, MqttLimits, PacketType, ProtocolLevel } from "./mqtt-syntax.js";

/** Largest fixed header: one type byte and a four-byte Remaining Length. */
const MAX_FIXED_HEADER = 5;

/**
 * Decodes one direction of an MQTT connection. PUBLISH payloads (and any
 * packet too large to hold) stream past; other packets are read whole.
 * `version` is the protocol level the client's CONNECT announced (5.0 adds
 * properties to most packets), 3.1.1 until one is seen.
 */
export class MqttDecoder implements MessageDecoder<MqttPacket> {
  readonly boundaryLookback = MAX_FIXED_HEADER;
  private readonly tail = new LargeMessageSkip<MqttPacket>();

  constructor(
    private readonly allowed: ReadonlySet<number>,
    private readonly version: () => number,
  ) {}

  get midMessage(): boolean {
    return this.tail.active;
  }

  get finished(): boolean {
    return false;
  }

  decode(reader: BufferReader): ParseResult<MqttPacket> {
    if (this.tail.active) return this.tail.continue(reader);
    const start = reader.position;
    const header = reader.readBytes(MAX_FIXED_HEADER);
    reader.rewind(start);
    const fixed = readFixedHeader(header, this.allowed);
    if (typeof fixed === "string") return invalid(fixed);
    if (fixed === undefined) return needsMoreData;
    const { type, flags, headerLength, remainingLength } = fixed;
    const packet = emptyPacket(type, flags);
    packet.wireBytes = headerLength + remainingLength;
    if (type === PacketType.Publish) return this.publish(reader, packet, headerLength, remainingLength);
    if (remainingLength > MqttLimits.maxBufferedPacket) {
      reader.skip(headerLength);
      this.tail.start(packet, remainingLength);
      return this.tail.continue(reader);
    }
    if (reader.remaining < headerLength + remainingLength) return needsMoreData;
    reader.skip(headerLength);
    const problem = readBody(packet, reader.readBytes(remainingLength), this.version());
    return problem === undefined ? ok(packet) : invalid(problem);
  }

  private publish(
    reader: BufferReader,
    packet: MqttPacket,
    headerLength: number,
    remainingLength: number,
  ): ParseResult<MqttPacket> {
    packet.qos = (packet.flags >> 1) & 0x03;
    packet.retain = (packet.flags & 0x01) !== 0;
    if (packet.qos === 3) return invalid("PUBLISH with QoS 3"); // 3.1.1 §3.3.1.2, 5.0 §3.3.1.2
    const available = Math.min(remainingLength, reader.remaining - headerLength);
    const start = reader.position;
    reader.skip(headerLength);
    const cursor = new PacketCursor(reader.readBytes(available));
    reader.rewind(start);
    packet.topic = cursor.string();
    if (packet.qos > 0) packet.packetId = cursor.uint16();
    if (this.version() === ProtocolLevel.V5) cursor.skipProperties();
    if (cursor.overrun || cursor.position > remainingLength) {
      return available < remainingLength ? needsMoreData : invalid("PUBLISH shorter than its header");
    }
    packet.payloadBytes = remainingLength - cursor.position;
    reader.skip(headerLength + cursor.position);
    this.tail.start(packet, packet.payloadBytes);
    return this.tail.continue(reader);
  }

  absorbGap(length: number): boolean {
    return this.tail.absorbGap(length);
  }

  cutAtGap(_length: number): MqttPacket | undefined {
    return this.tail.cutAtGap();
  }

  endOfStream(): MqttPacket | undefined {
    return undefined;
  }

  /** A byte that is a valid first byte for this direction, followed by a well-formed Remaining Length. */
  findFrameBoundary(bytes: Buffer, from: number): number {
    for (let index = from; index < bytes.length; index++) {
      const fixed = readFixedHeader(bytes.subarray(index, index + MAX_FIXED_HEADER), this.allowed);
      if (typeof fixed !== "string") return index;
    }
    return -1;
  }

  reset(): void {
    this.tail.clear();
  }
}

interface FixedHeader {
  type: PacketType;
  flags: number;
  headerLength: number;
  remainingLength: number;
}

/** The fixed header at the start of `bytes`: why it is invalid, or undefined when it is incomplete. */
function readFixedHeader(bytes: Buffer, allowed: ReadonlySet<number>): FixedHeader | string | undefined {
  const first = bytes[0];
  if (first === undefined) return undefined;
  const type = (first >> 4) as PacketType;
  const flags = first & 0x0f;
  if (!allowed.has(type)) return `MQTT packet type ${type} not sent this way`;
  if (type !== PacketType.Publish && flags !== (FLAGS_0010.has(type) ? 0b0010 : 0)) {
    return `MQTT packet type ${type} with reserved flags ${flags}`;
  }
  let remainingLength = 0;
  for (let index = 1; index < MAX_FIXED_HEADER; index++) {
    const byte = bytes[index];
    if (byte === undefined) return undefined;
    remainingLength += (byte & 0x7f) * 128 ** (index - 1);
    if ((byte & 0x80) === 0) {
      if ((type === PacketType.Pingreq || type === PacketType.Pingresp) && remainingLength !== 0) {
        return "PINGREQ/PINGRESP with a body";
      }
      return { type, flags, headerLength: index + 1, remainingLength };
    }
  }
  return "MQTT Remaining Length longer than four bytes";
}
