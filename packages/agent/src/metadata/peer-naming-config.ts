// How the agent names and bounds the peers it cannot tie to a process
// (metadata/peer-names.ts, metrics/series-aggregator.ts), from the environment.
// Kept beside the code it configures; main.ts reads it next to loadConfig and
// reports a bad value the same way (ConfigError, the variable named).

import { INTERNAL_ADDRESS_BLOCKS } from "@periscope/proto";
import { ConfigError } from "../config.js";
import { DEFAULT_MAX_PEERS_PER_SERVICE } from "../metrics/series-aggregator.js";
import { parseBlock } from "./address-block.js";

export interface PeerNamingConfig {
  /** Blocks whose addresses keep their own identity (pods, hosts); others are grouped. */
  internalBlocks: readonly string[];
  ipv4Prefix: number;
  ipv6Prefix: number;
  /** Distinct peers per local service before new ones fold into "{overflow}". */
  maxPeersPerService: number;
}

export const PEER_VARIABLES = {
  internalBlocks: "PERISCOPE_PEER_INTERNAL_CIDRS",
  ipv4Prefix: "PERISCOPE_PEER_IPV4_PREFIX",
  ipv6Prefix: "PERISCOPE_PEER_IPV6_PREFIX",
  maxPeersPerService: "PERISCOPE_PEER_CAP",
} as const;

export function loadPeerNamingConfig(env: NodeJS.ProcessEnv): PeerNamingConfig {
  return {
    internalBlocks: blocks(env[PEER_VARIABLES.internalBlocks]),
    ipv4Prefix: integer(
      PEER_VARIABLES.ipv4Prefix,
      "prefix length external IPv4 peers are grouped by",
      env,
      24,
      0,
      32,
    ),
    ipv6Prefix: integer(
      PEER_VARIABLES.ipv6Prefix,
      "prefix length external IPv6 peers are grouped by",
      env,
      48,
      0,
      128,
    ),
    maxPeersPerService: integer(
      PEER_VARIABLES.maxPeersPerService,
      "distinct peers per service before the rest are counted as {overflow}",
      env,
      DEFAULT_MAX_PEERS_PER_SERVICE,
      1,
      100_000,
    ),
  };
}

/** Comma-separated blocks; unset or empty: the default list; "none": every address is grouped. */
function blocks(raw: string | undefined): readonly string[] {
  const text = raw?.trim() ?? "";
  if (text === "") return INTERNAL_ADDRESS_BLOCKS;
  if (text === "none") return [];
  const list = text.split(",").map((block) => block.trim());
  for (const block of list) {
    try {
      parseBlock(block);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ConfigError(
        `${PEER_VARIABLES.internalBlocks} (address blocks that keep per-IP identity): ${reason}`,
      );
    }
  }
  return list;
}

function integer(
  name: string,
  description: string,
  env: NodeJS.ProcessEnv,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  const text = raw?.trim() ?? "";
  if (text === "") return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new ConfigError(`${name} (${description}): must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}
