import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { ObservedEnds } from "../../records/observed-ends.js";
import { longestSegment, readTranscript, replayTranscript, type Segment } from "../testing/transcript.js";
import { dnsExchangeToRecord } from "./dns-definition.js";
import { type DnsExchange, DnsParser } from "./dns-parser.js";

const here = dirname(fileURLToPath(import.meta.url));
const endpoint = { ip: "127.0.0.1", port: 0, service: "", pid: 0, processName: "" };
const ends: ObservedEnds = { side: "client", client: endpoint, server: endpoint };

function summarize(exchange: DnsExchange) {
  const record = dnsExchangeToRecord(exchange, ends);
  return {
    operation: record.operation,
    target: record.target,
    status: record.status,
    error: record.error,
    answers: record.attributes["dns.answers"],
    rcode: record.attributes["dns.rcode"],
    transport: record.attributes["dns.transport"],
    tc: record.attributes["dns.truncated"],
    requestBytes: record.requestBytes,
    responseBytes: record.responseBytes,
  };
}

const cases = [
  {
    name: "udp-queries",
    records: [
      { operation: "A", target: "api.periscope.test", status: 0, answers: "A 10.0.0.7, A 10.0.0.8" },
      { operation: "AAAA", target: "api.periscope.test", status: 0, answers: "AAAA 2001:db8::7" },
      {
        operation: "A",
        target: "www.periscope.test",
        answers: "CNAME api.periscope.test, A 10.0.0.7, A 10.0.0.8",
      },
      { operation: "MX", target: "periscope.test", answers: "MX 10 mail.periscope.test" },
      { operation: "TXT", target: "periscope.test", answers: undefined },
      { operation: "SRV", target: "_http._tcp.periscope.test", answers: undefined },
      { operation: "PTR", target: "7.0.0.10.in-addr.arpa", answers: "PTR api.periscope.test" },
      { operation: "A", target: "missing.periscope.test", status: 3, rcode: "NXDOMAIN", error: false },
      { operation: "A", target: "broken.periscope.test", status: 2, rcode: "SERVFAIL", error: true },
      { operation: "A", target: "refused.periscope.test", status: 5, rcode: "REFUSED", error: true },
    ],
  },
  {
    name: "tcp-fallback.udp",
    records: [
      { operation: "A", target: "big.periscope.test", tc: "true", transport: "udp", answers: undefined },
    ],
  },
  {
    name: "tcp-fallback.tcp",
    records: [
      {
        operation: "A",
        target: "big.periscope.test",
        transport: "tcp",
        tc: undefined,
        answers: Array.from({ length: 8 }, (_, index) => `A 10.1.0.${index + 1}`).join(", "),
      },
    ],
  },
];

describe("DNS conversations recorded from node's resolver (c-ares)", () => {
  for (const expected of cases) {
    describe(expected.name, () => {
      const segments: Segment[] = readTranscript(join(here, "fixtures", `${expected.name}.transcript`));
      const whole = replayTranscript(segments, new DnsParser(), longestSegment(segments));

      it("yields the expected records when replayed whole, every byte accounted for", () => {
        expect(whole.exchanges.map(summarize)).toMatchObject(expected.records);
        expect(whole.counters).toEqual({ parseErrors: 0, streamGaps: 0 });
        const sum = (pick: (exchange: DnsExchange) => number) =>
          whole.exchanges.reduce((total, exchange) => total + pick(exchange), 0);
        expect(sum((exchange) => exchange.query.wireBytes)).toBe(whole.clientBytes);
        expect(sum((exchange) => exchange.response.wireBytes)).toBe(whole.serverBytes);
      });

      it("yields the same records at every chunk size, byte by byte included", () => {
        const reference = whole.exchanges.map(summarize);
        for (let chunkSize = 1; chunkSize <= longestSegment(segments); chunkSize++) {
          const result = replayTranscript(segments, new DnsParser(), chunkSize);
          expect(result.exchanges.map(summarize), `chunk size ${chunkSize}`).toEqual(reference);
          expect(result.counters.parseErrors, `chunk size ${chunkSize}`).toBe(0);
        }
      });
    });
  }

  it("replays datagrams concatenated in one stream as separate messages", () => {
    const segments = readTranscript(join(here, "fixtures", "udp-queries.transcript"));
    const queries = Buffer.concat(segments.filter((s) => s.fromClient).map((s) => s.bytes));
    const answers = Buffer.concat(segments.filter((s) => !s.fromClient).map((s) => s.bytes));
    const result = replayTranscript(
      [
        { fromClient: true, bytes: queries },
        { fromClient: false, bytes: answers },
      ],
      new DnsParser(),
      queries.length + answers.length,
    );
    expect(result.exchanges).toHaveLength(10);
  });
});
