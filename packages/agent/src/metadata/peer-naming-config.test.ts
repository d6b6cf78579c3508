import { INTERNAL_ADDRESS_BLOCKS } from "@periscope/proto";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../config.js";
import { loadPeerNamingConfig } from "./peer-naming-config.js";

describe("loadPeerNamingConfig", () => {
  it("defaults to RFC 1918 and friends kept per address, /24 and /48 groups, 200 peers per service", () => {
    expect(loadPeerNamingConfig({})).toEqual({
      internalBlocks: INTERNAL_ADDRESS_BLOCKS,
      ipv4Prefix: 24,
      ipv6Prefix: 48,
      maxPeersPerService: 200,
    });
  });

  it("reads a list of blocks, prefix lengths and the cap", () => {
    const config = loadPeerNamingConfig({
      PERISCOPE_PEER_INTERNAL_CIDRS: "10.0.0.0/8, 198.51.100.0/24",
      PERISCOPE_PEER_IPV4_PREFIX: "16",
      PERISCOPE_PEER_IPV6_PREFIX: "64",
      PERISCOPE_PEER_CAP: "50",
    });
    expect(config).toEqual({
      internalBlocks: ["10.0.0.0/8", "198.51.100.0/24"],
      ipv4Prefix: 16,
      ipv6Prefix: 64,
      maxPeersPerService: 50,
    });
    expect(loadPeerNamingConfig({ PERISCOPE_PEER_INTERNAL_CIDRS: "none" }).internalBlocks).toEqual([]);
  });

  it("names the variable and the fault in its error", () => {
    expect(() => loadPeerNamingConfig({ PERISCOPE_PEER_INTERNAL_CIDRS: "10.0.0.0/8,corp" })).toThrow(
      new ConfigError(
        'PERISCOPE_PEER_INTERNAL_CIDRS (address blocks that keep per-IP identity): "corp" is not an address block (like 10.0.0.0/8 or fc00::/7)',
      ),
    );
    expect(() => loadPeerNamingConfig({ PERISCOPE_PEER_IPV4_PREFIX: "33" })).toThrow(
      /PERISCOPE_PEER_IPV4_PREFIX .*must be an integer from 0 to 32, got "33"/,
    );
    expect(() => loadPeerNamingConfig({ PERISCOPE_PEER_CAP: "0" })).toThrow(/PERISCOPE_PEER_CAP/);
  });
});
