// How an address no process or cluster object names is named, shared by the
// agent (metadata/peer-names.ts, which names peers at the source) and the
// collector (query/service-naming.ts, the same rule for what older agents
// sent unnamed): addresses in these blocks keep their own identity, any other
// is grouped into its /24 (IPv4) or /48 (IPv6) block, so internet-facing
// traffic cannot make one map node per client.

/**
 * RFC 1918, shared address space (RFC 6598, where some clusters put pods),
 * loopback, link-local, and their IPv6 counterparts (RFC 4193 ULA, RFC 4291).
 */
export const INTERNAL_ADDRESS_BLOCKS = [
  "10.0.0.0/8",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "::1/128",
  "fc00::/7",
  "fe80::/10",
] as const;

/** Prefix lengths an external address is grouped by. */
export const EXTERNAL_IPV4_PREFIX = 24;
export const EXTERNAL_IPV6_PREFIX = 48;
