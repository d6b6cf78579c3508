// Names for the far end of a connection the agent could not tie to a process
// (issue #15): without them every internet client is a map node and a roll-up
// row per minute of its own. From what the agent already sees, most specific
// first:
//   1. a DNS name: the question of a DNS answer it captured that resolved to
//      the address (the name the caller looked up);
//   2. an internal address (configurable blocks, default RFC 1918 and
//      friends) keeps its identity — a pod or host the collector's Kubernetes
//      metadata can still name by IP, which wins over both;
//   3. anything else is grouped into its block: "203.0.113.0/24".
// The name travels as the record attribute client.host / server.host, which
// the series aggregator and the collector read (collector
// query/service-naming.ts: Kubernetes identity > process > this name).

import { EXTERNAL_IPV4_PREFIX, EXTERNAL_IPV6_PREFIX, INTERNAL_ADDRESS_BLOCKS } from "@periscope/proto";
import type { RequestRecord } from "../records/request-record.js";
import { type AddressBlock, addressBytes, blockContains, blockOf, parseBlock } from "./address-block.js";

export const CLIENT_HOST_ATTRIBUTE = "client.host";
export const SERVER_HOST_ATTRIBUTE = "server.host";

export interface PeerNamingOptions {
  /** Blocks whose addresses keep their own identity. */
  internalBlocks?: readonly string[];
  /** Prefix length an external IPv4 address is grouped by. */
  ipv4Prefix?: number;
  ipv6Prefix?: number;
  /** DNS names remembered at most (oldest forgotten first). */
  maxDnsNames?: number;
  /** How long a DNS answer names its address after it was last seen. */
  dnsNameTtlMs?: number;
  now?: () => number;
}

export interface PeerNamesCounters {
  dnsNamesLearned: number;
  peersNamedByDns: number;
  peersGrouped: number;
}

interface DnsName {
  name: string;
  seenMs: number;
}

// "A 93.184.216.34, AAAA 2606:2800::1, CNAME edge.example.net" (dns-definition.ts).
const ADDRESS_ANSWER = /(?:^|, )(?:A|AAAA) ([0-9A-Fa-f.:]+)/g;

export class PeerNames {
  readonly counters: PeerNamesCounters = { dnsNamesLearned: 0, peersNamedByDns: 0, peersGrouped: 0 };
  private readonly internal: AddressBlock[];
  private readonly ipv4Prefix: number;
  private readonly ipv6Prefix: number;
  private readonly maxDnsNames: number;
  private readonly dnsNameTtlMs: number;
  private readonly now: () => number;
  /** Address → name, oldest-seen first (Map order: re-learning moves an entry to the end). */
  private readonly dnsNames = new Map<string, DnsName>();

  constructor(options: PeerNamingOptions = {}) {
    this.internal = (options.internalBlocks ?? INTERNAL_ADDRESS_BLOCKS).map(parseBlock);
    this.ipv4Prefix = options.ipv4Prefix ?? EXTERNAL_IPV4_PREFIX;
    this.ipv6Prefix = options.ipv6Prefix ?? EXTERNAL_IPV6_PREFIX;
    this.maxDnsNames = options.maxDnsNames ?? 16_384;
    this.dnsNameTtlMs = options.dnsNameTtlMs ?? 10 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Learns the addresses a captured DNS answer resolved its question to. */
  learn(record: RequestRecord): void {
    if (record.protocol !== "dns" || record.target === "") return;
    const answers = record.attributes["dns.answers"];
    if (answers === undefined) return;
    const name = record.target.endsWith(".") ? record.target.slice(0, -1) : record.target;
    const seenMs = this.now();
    for (const match of answers.matchAll(ADDRESS_ANSWER)) {
      const address = addressBytes(match[1] ?? "");
      if (address === undefined) continue;
      const key = match[1] as string;
      if (this.dnsNames.delete(key) === false) this.counters.dnsNamesLearned++;
      this.dnsNames.set(key, { name, seenMs });
      if (this.dnsNames.size > this.maxDnsNames) {
        const oldest = this.dnsNames.keys().next().value;
        if (oldest !== undefined) this.dnsNames.delete(oldest);
      }
    }
  }

  /** Sets client.host or server.host on a record whose far end is no known process. */
  name(record: RequestRecord): void {
    if (record.side === "server") {
      const client = record.client;
      if (client.pid !== 0 || client.service !== "" || client.ip === "") return;
      record.attributes[CLIENT_HOST_ATTRIBUTE] = this.nameOf(client.ip, undefined);
    } else {
      const server = record.server;
      if (server.pid !== 0 || server.service !== "" || server.ip === "") return;
      record.attributes[SERVER_HOST_ATTRIBUTE] = this.nameOf(server.ip, server.port);
    }
  }

  /** True for an address inside the internal blocks (it keeps its identity). */
  isInternal(ip: string): boolean {
    const address = addressBytes(ip);
    return address !== undefined && this.internal.some((block) => blockContains(block, address));
  }

  /** A DNS name, the address (":port" for a server) when internal, else its block. */
  nameOf(ip: string, port: number | undefined): string {
    const dns = this.dnsNames.get(ip);
    if (dns !== undefined) {
      if (this.now() - dns.seenMs <= this.dnsNameTtlMs) {
        this.counters.peersNamedByDns++;
        return dns.name;
      }
      this.dnsNames.delete(ip);
    }
    const address = addressBytes(ip);
    if (address === undefined || this.internal.some((block) => blockContains(block, address))) {
      if (port === undefined) return ip;
      return ip.includes(":") ? `[${ip}]:${port}` : `${ip}:${port}`;
    }
    this.counters.peersGrouped++;
    return blockOf(address, address.family === 4 ? this.ipv4Prefix : this.ipv6Prefix);
  }
}
