// Every protocol the agent parses. A protocol joins by exporting its
// ProtocolDefinition from its folder and being listed here.
import type { KernelProtocol } from "../capture/events.js";
import { http1Definition } from "./http1/http1-definition.js";
import { startsWithHttp2Preface } from "./http1/message-head.js";
import type { FirstBytesKind, ProtocolDefinition } from "./protocol-definition.js";

export const ALL_PROTOCOLS: readonly ProtocolDefinition[] = [http1Definition as ProtocolDefinition];

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
