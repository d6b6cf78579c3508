import type { ConnectionProtocolParser, MessageTiming } from "../message-decoder.js";
import { MqttDecoder } from "./mqtt-decoder.js";
import type { MqttPacket } from "./mqtt-packet.js";
import { CLIENT_PACKETS, PACKET_NAMES, PacketType, ProtocolLevel, SERVER_PACKETS } from "./mqtt-syntax.js";

export type MqttDirection = "client-to-server" | "server-to-client";

/** One record's worth of MQTT traffic. */
export interface MqttExchange {
  operation: string;
  target: string;
  status: number;
  error: boolean;
  attributes: Record<string, string>;
  requestBytes: number;
  responseBytes: number;
  startNs: bigint;
  endNs: bigint;
  truncated: boolean;
}

interface Flow {
  packet: MqttPacket;
  timing: MessageTiming;
  direction: MqttDirection;
  /** Bytes of the acknowledgements seen so far (PUBREC, PUBREL before PUBCOMP). */
  answerBytes: number;
}

const MAX_FLOWS = 4096;
/** Codes of 0x80 and above are failures (3.1.1 §3.9.3 SUBACK 0x80, 5.0 §2.4 reason codes). */
const FAILURE = 0x80;

/**
 * Records of one MQTT connection (3.1.1 and 5.0). Exchanges are matched by
 * Packet Identifier, separately for each sender, since each side numbers its
 * own flows (3.1.1 §2.3.1, 5.0 §2.2.1):
 * - CONNECT → CONNACK; PINGREQ → PINGRESP (in order); SUBSCRIBE → SUBACK and
 *   UNSUBSCRIBE → UNSUBACK by id.
 * - PUBLISH in either direction: QoS 0 is recorded when read, with no response;
 *   QoS 1 when its PUBACK arrives; QoS 2 when PUBCOMP ends the flow (or at a
 *   failing PUBREC, 5.0 §4.3.3). The broker's PUBLISH to a subscriber is the
 *   same exchange started by the server: operation "PUBLISH", attribute
 *   `mqtt.direction` = "server-to-client", its bytes counted as the request and
 *   the subscriber's acknowledgements as the response.
 * - DISCONNECT is recorded when read, with its 5.0 reason code as status.
 */
export class MqttParser implements ConnectionProtocolParser<MqttPacket, MqttPacket, MqttExchange> {
  readonly protocol = "mqtt";
  private protocolLevel: number = ProtocolLevel.V311;
  readonly requests = new MqttDecoder(CLIENT_PACKETS, () => this.protocolLevel);
  readonly responses = new MqttDecoder(SERVER_PACKETS, () => this.protocolLevel);
  private connect: Flow | undefined;
  private readonly pings: Flow[] = [];
  /** Flows the client started, by its packet ids; and the server's, by its own. */
  private readonly fromClient = new Map<number, Flow>();
  private readonly fromServer = new Map<number, Flow>();
  droppedRequests = 0;

  get unansweredRequests(): number {
    return this.fromClient.size + this.pings.length + (this.connect === undefined ? 0 : 1);
  }

  onRequest(packet: MqttPacket, timing: MessageTiming): MqttExchange | undefined {
    return this.onPacket(packet, timing, "client-to-server");
  }

  onResponse(packet: MqttPacket, timing: MessageTiming): MqttExchange | undefined {
    return this.onPacket(packet, timing, "server-to-client");
  }

  private onPacket(
    packet: MqttPacket,
    timing: MessageTiming,
    direction: MqttDirection,
  ): MqttExchange | undefined {
    const flow: Flow = { packet, timing, direction, answerBytes: 0 };
    // Acknowledgements answer flows the other side started.
    const started = direction === "client-to-server" ? this.fromClient : this.fromServer;
    const answered = direction === "client-to-server" ? this.fromServer : this.fromClient;
    switch (packet.type) {
      case PacketType.Connect:
        this.protocolLevel = packet.protocolLevel;
        this.connect = flow;
        return undefined;
      case PacketType.Connack: {
        const connect = this.connect;
        this.connect = undefined;
        return connect === undefined ? undefined : this.complete(connect, packet, timing);
      }
      case PacketType.Pingreq:
        if (this.pings.length < MAX_FLOWS) this.pings.push(flow);
        return undefined;
      case PacketType.Pingresp: {
        const ping = this.pings.shift();
        return ping === undefined ? undefined : this.complete(ping, packet, timing);
      }
      case PacketType.Publish:
        if (packet.qos === 0) return this.complete(flow, undefined, timing);
        this.start(started, flow);
        return undefined;
      case PacketType.Subscribe:
      case PacketType.Unsubscribe:
        this.start(started, flow);
        return undefined;
      case PacketType.Puback:
      case PacketType.Suback:
      case PacketType.Unsuback:
      case PacketType.Pubcomp:
        return this.finish(answered, packet, timing);
      case PacketType.Pubrec: {
        if ((packet.codes[0] ?? 0) >= FAILURE) return this.finish(answered, packet, timing);
        const publish = answered.get(packet.packetId);
        if (publish !== undefined) publish.answerBytes += packet.wireBytes;
        return undefined;
      }
      case PacketType.Pubrel: {
        // The sender of the PUBLISH releases it; the flow it belongs to is its own.
        const publish = started.get(packet.packetId);
        if (publish !== undefined) publish.answerBytes += packet.wireBytes;
        return undefined;
      }
      case PacketType.Disconnect:
        return this.complete(flow, undefined, timing);
      default:
        return undefined;
    }
  }

  private start(flows: Map<number, Flow>, flow: Flow): void {
    if (flows.size >= MAX_FLOWS && !flows.has(flow.packet.packetId)) {
      const oldest = flows.keys().next().value;
      if (oldest !== undefined) flows.delete(oldest);
      this.droppedRequests++;
    }
    // A reused id means the earlier flow's end was not seen; the new one replaces it.
    flows.set(flow.packet.packetId, flow);
  }

  private finish(
    flows: Map<number, Flow>,
    answer: MqttPacket,
    timing: MessageTiming,
  ): MqttExchange | undefined {
    const flow = flows.get(answer.packetId);
    if (flow === undefined) return undefined;
    flows.delete(answer.packetId);
    return this.complete(flow, answer, timing);
  }

  private complete(flow: Flow, answer: MqttPacket | undefined, timing: MessageTiming): MqttExchange {
    const { packet } = flow;
    const attributes: Record<string, string> = { "mqtt.protocol_level": String(this.protocolLevel) };
    const codes = answer?.codes ?? (packet.type === PacketType.Disconnect ? packet.codes : []);
    let target = packet.topic;
    switch (packet.type) {
      case PacketType.Connect:
        attributes["mqtt.client_id"] = packet.topic;
        attributes["mqtt.keep_alive"] = String(packet.keepAlive);
        attributes["mqtt.clean_start"] = String(packet.cleanStart);
        break;
      case PacketType.Publish:
        attributes["mqtt.direction"] = flow.direction;
        attributes["mqtt.qos"] = String(packet.qos);
        attributes["mqtt.payload_bytes"] = String(packet.payloadBytes);
        if (packet.retain) attributes["mqtt.retain"] = "true";
        break;
      case PacketType.Subscribe:
      case PacketType.Unsubscribe:
        target = packet.filters[0] ?? "";
        attributes["mqtt.topic_filters"] = packet.filters.join(",");
        if (codes.length > 0) attributes["mqtt.reason_codes"] = codes.join(",");
        break;
      default:
        break;
    }
    // The first failing code if any, else the first (SUBACK: the QoS granted to the first filter).
    const status = codes.find((code) => code >= FAILURE) ?? codes[0] ?? 0;
    // CONNACK: any non-zero code refuses the connection (3.1.1 §3.2.2.3, 5.0 §3.2.2.2).
    const error = packet.type === PacketType.Connect ? status !== 0 : status >= FAILURE;
    return {
      operation: PACKET_NAMES[packet.type] ?? String(packet.type),
      target,
      status,
      error,
      attributes,
      requestBytes: packet.wireBytes,
      responseBytes: flow.answerBytes + (answer?.wireBytes ?? 0),
      startNs: flow.timing.firstByteNs,
      endNs: timing.lastByteNs,
      truncated: flow.timing.truncated || (answer !== undefined && timing.truncated),
    };
  }
}
