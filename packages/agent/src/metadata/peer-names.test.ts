import { describe, expect, it } from "vitest";
import { sampleRecord } from "../metrics/testing/sample-records.js";
import { parseBlock } from "./address-block.js";
import { CLIENT_HOST_ATTRIBUTE, PeerNames, SERVER_HOST_ATTRIBUTE } from "./peer-names.js";

const unknownClient = (ip: string) =>
  sampleRecord({ side: "server", client: { ip, port: 40_000, service: "", pid: 0, processName: "" } });
const unknownServer = (ip: string, port = 443) =>
  sampleRecord({ side: "client", server: { ip, port, service: "", pid: 0, processName: "" } });
const dnsAnswer = (name: string, answers: string) =>
  sampleRecord({ protocol: "dns", side: "client", target: name, attributes: { "dns.answers": answers } });

describe("PeerNames", () => {
  it("groups an internet client by its /24 (IPv6 by /48) and keeps an internal one's address", () => {
    const names = new PeerNames();
    expect(names.nameOf("203.0.113.77", undefined)).toBe("203.0.113.0/24");
    expect(names.nameOf("2001:db8:1234:5678::9", undefined)).toBe("2001:db8:1234::/48");
    expect(names.nameOf("10.1.2.3", undefined)).toBe("10.1.2.3");
    expect(names.nameOf("127.8.9.10", undefined)).toBe("127.8.9.10");
    expect(names.nameOf("fd00::5", 5432)).toBe("[fd00::5]:5432");
    expect(names.nameOf("192.168.1.4", 5432)).toBe("192.168.1.4:5432");
    expect(names.counters.peersGrouped).toBe(2);
  });

  it("takes its prefix lengths and internal blocks from options", () => {
    const names = new PeerNames({ internalBlocks: ["198.51.100.0/24"], ipv4Prefix: 16, ipv6Prefix: 32 });
    expect(names.nameOf("198.51.100.9", undefined)).toBe("198.51.100.9");
    expect(names.nameOf("10.1.2.3", undefined)).toBe("10.1.0.0/16");
    expect(names.nameOf("2001:db8:1234::1", undefined)).toBe("2001:db8::/32");
  });

  it("names an address by the DNS question a captured answer resolved to it, until the name goes stale", () => {
    const clock = { ms: 0 };
    const names = new PeerNames({ dnsNameTtlMs: 60_000, now: () => clock.ms });
    names.learn(
      dnsAnswer("api.example.com.", "CNAME edge.example.net, A 93.184.216.34, AAAA 2606:2800:220:1::1"),
    );
    const call = unknownServer("93.184.216.34");
    names.name(call);
    expect(call.attributes[SERVER_HOST_ATTRIBUTE]).toBe("api.example.com");
    expect(names.nameOf("2606:2800:220:1::1", 443)).toBe("api.example.com");
    clock.ms += 61_000;
    expect(names.nameOf("93.184.216.34", 443)).toBe("93.184.216.0/24");
  });

  it("names only a far end that is no known process", () => {
    const names = new PeerNames();
    const known = sampleRecord();
    names.name(known);
    expect(known.attributes).toEqual({});
    const client = unknownClient("203.0.113.5");
    names.name(client);
    expect(client.attributes).toEqual({ [CLIENT_HOST_ATTRIBUTE]: "203.0.113.0/24" });
  });

  it("forgets the oldest DNS names past its bound", () => {
    const names = new PeerNames({ maxDnsNames: 2 });
    names.learn(dnsAnswer("a.example", "A 198.51.100.1"));
    names.learn(dnsAnswer("b.example", "A 198.51.100.2"));
    names.learn(dnsAnswer("c.example", "A 198.51.100.3"));
    expect(names.nameOf("198.51.100.1", undefined)).toBe("198.51.100.0/24");
    expect(names.nameOf("198.51.100.3", undefined)).toBe("c.example");
  });

  it("refuses a block that is not one, saying which", () => {
    expect(() => parseBlock("10.0.0.0/33")).toThrow(
      /"10.0.0.0\/33": the prefix length must be a whole number from 0 to 32/,
    );
    expect(() => parseBlock("intranet")).toThrow(/"intranet" is not an address block/);
    expect(() => new PeerNames({ internalBlocks: ["10.0.0.0/"] })).toThrow(/prefix length/);
  });
});
