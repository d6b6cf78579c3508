// Every protocol the agent parses. A protocol joins by exporting its
// ProtocolDefinition from its folder and being listed here.
import type { KernelProtocol } from "../capture/events.js";
import { amqpDefinition } from "./amqp/amqp-definition.js";
import { dnsDefinition } from "./dns/dns-definition.js";
import { http1Definition } from "./http1/http1-definition.js";
import { startsWithHttp2Preface } from "./http1/message-head.js";
import { http2Definition } from "./http2/http2-definition.js";
import { kafkaDefinition } from "./kafka/kafka-definition.js";
import { mongoDefinition } from "./mongo/mongo-definition.js";
import { mqttDefinition } from "./mqtt/mqtt-definition.js";
import { mysqlDefinition } from "./mysql/mysql-definition.js";
import { natsDefinition } from "./nats/nats-definition.js";
import { postgresDefinition } from "./postgres/postgres-definition.js";
import type { FirstBytesKind, ProtocolDefinition } from "./protocol-definition.js";
import { redisDefinition } from "./redis/redis-definition.js";

/**
 * In the order first bytes are tried when the kernel gave no tag: the most
 * distinctive openings first (HTTP/2's preface, AMQP's header, HTTP/1's
 * request line), the weakest evidence (RESP, DNS headers) last.
 */
export const ALL_PROTOCOLS = [
  http2Definition,
  http1Definition,
  amqpDefinition,
  postgresDefinition,
  mysqlDefinition,
  mongoDefinition,
  kafkaDefinition,
  mqttDefinition,
  natsDefinition,
  redisDefinition,
  dnsDefinition,
] as readonly ProtocolDefinition[];

/** The definitions in `protocols`, looked up by the kernel's tag or by first bytes. */
export class ProtocolRegistry {
  private readonly byKernelTag = new Map<KernelProtocol, ProtocolDefinition>();

  constructor(readonly protocols: readonly ProtocolDefinition[] = ALL_PROTOCOLS) {
    for (const definition of protocols) this.byKernelTag.set(definition.kernelProtocol, definition);
  }

  byKernelProtocol(tag: KernelProtocol): ProtocolDefinition | undefined {
    return this.byKernelTag.get(tag);
  }

  /**
   * True when the bytes start a protocol that no listed definition parses but
   * that another's first-bytes check could mistake for its own: HTTP/2's
   * "PRI * HTTP/2.0" preface reads as an HTTP/1 request line.
   */
  claimsNone(bytes: Buffer): boolean {
    return (
      startsWithHttp2Preface(bytes) && !this.protocols.some((p) => p.name === "http2" || p.name === "grpc")
    );
  }

  /** The first protocol whose first-bytes check recognises `bytes`, and what they are. */
  classify(bytes: Buffer): { definition: ProtocolDefinition; kind: "request" | "response" } | undefined {
    for (const definition of this.protocols) {
      const kind: FirstBytesKind = definition.classifyFirstBytes(bytes);
      if (kind !== undefined) return { definition, kind };
    }
    return undefined;
  }
}
