// The collection config as the API accepts it, and its wire form for agents.
import { CAPTURE_PROTOCOLS, type CollectionConfig, CollectionConfigSchema, create } from "@periscope/proto";

/** The agent's capture cap per syscall (bpf/common MAX_CAPTURE_BYTES). */
export const MAX_CAPTURE_BYTES = 16_384;

export interface CollectionConfigBody {
  disabledProtocols?: string[];
  captureBytes?: number;
  sampleOneIn?: number;
  redactFields?: string[];
  redactSqlLiterals?: boolean;
  includeNamespaces?: string[];
  excludeNamespaces?: string[];
  recordBudgetPerSecond?: number;
  profileHz?: number;
}

/** Largest record budget an operator may set, per agent and second. */
export const MAX_RECORD_BUDGET_PER_SECOND = 1_000_000;

// A Kubernetes namespace is a DNS label (RFC 1123).
const NAMESPACE = { type: "string", pattern: "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$" } as const;

export const collectionConfigSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    disabledProtocols: {
      type: "array",
      maxItems: CAPTURE_PROTOCOLS.length,
      uniqueItems: true,
      description: "protocols the agents' kernel capture skips (gRPC rides HTTP/2, so it has no switch)",
      // The contract's names: an old "http1" is refused, naming the accepted ones.
      items: { type: "string", enum: [...CAPTURE_PROTOCOLS] },
    },
    captureBytes: {
      type: "integer",
      minimum: 0,
      maximum: MAX_CAPTURE_BYTES,
      description: "0: agent default",
    },
    sampleOneIn: { type: "integer", minimum: 0, maximum: 1_000_000, description: "keep 1 in N connections" },
    redactFields: {
      type: "array",
      maxItems: 64,
      description:
        "header and URL query parameter names whose values are redacted (added to the agent's own)",
      // An RFC 9110 §5.1 token, as header names are.
      items: { type: "string", minLength: 1, maxLength: 128, pattern: "^[!#$%&'*+\\-.^_`|~0-9A-Za-z]+$" },
    },
    redactSqlLiterals: { type: "boolean" },
    includeNamespaces: { type: "array", maxItems: 256, items: NAMESPACE },
    excludeNamespaces: { type: "array", maxItems: 256, items: NAMESPACE },
    recordBudgetPerSecond: {
      type: "integer",
      minimum: 1,
      maximum: MAX_RECORD_BUDGET_PER_SECOND,
      description:
        "request records each agent sends per second (errors, slow and traced first, the rest sampled); absent: the agent's default. Metrics still count every request.",
    },
    profileHz: {
      type: "integer",
      minimum: 0,
      maximum: 499,
      description:
        "CPU profiling samples per second on every CPU (0: off); absent: the agent's PERISCOPE_PROFILE_HZ (97). A prime rate keeps samples from lining up with periodic work.",
    },
  },
} as const;

export function toWireConfig(version: number, body: CollectionConfigBody): CollectionConfig {
  return create(CollectionConfigSchema, {
    version: BigInt(version),
    disabledProtocols: body.disabledProtocols ?? [],
    captureBytes: body.captureBytes ?? 0,
    sampleOneIn: body.sampleOneIn ?? 0,
    redactFields: body.redactFields ?? [],
    redactSqlLiterals: body.redactSqlLiterals ?? false,
    includeNamespaces: body.includeNamespaces ?? [],
    excludeNamespaces: body.excludeNamespaces ?? [],
    // 0 on the wire is "unset": the agent keeps its default.
    recordBudgetPerSecond: body.recordBudgetPerSecond ?? 0,
    // Optional on the wire: absent keeps the agent's own rate, 0 switches profiling off.
    ...(body.profileHz === undefined ? {} : { profileHz: body.profileHz }),
  });
}
