import { describe, expect, it } from "vitest";
import { Direction, Role } from "./capture/events.js";
import { makePipeline, SERVER_PID, side } from "./protocols/testing/pipeline-events.js";
import { parseRedactionRules, REDACTED } from "./records/redaction-rules.js";

const REQUEST =
  "GET /orders?access_token=s3cr3t&page=2 HTTP/1.1\r\nHost: orders:8080\r\nUser-Agent: shop/1.0\r\n" +
  "Authorization: Bearer s3cr3t\r\nCookie: session=s3cr3t\r\n\r\n";
const RESPONSE = "HTTP/1.1 200 OK\r\nSet-Cookie: session=s3cr3t\r\nContent-Length: 0\r\n\r\n";

function exchange(options: Parameters<typeof makePipeline>[1] = {}) {
  const { pipeline, records } = makePipeline([], options);
  const server = side({ tgid: SERVER_PID, fd: 9, generation: 1 }, Role.Server);
  pipeline.handleBatch([
    server.open(["127.0.0.1", 8080], ["127.0.0.1", 51000]),
    server.data(Direction.Ingress, REQUEST),
    server.data(Direction.Egress, RESPONSE),
  ]);
  expect(records).toHaveLength(1);
  return records[0];
}

describe("Pipeline redaction", () => {
  it("is on by default: no record carries a credential from the URL or the headers", () => {
    const record = exchange();
    expect(record?.target).toBe(`/orders?access_token=${REDACTED}&page=2`);
    expect(
      JSON.stringify(record, (_, value) => (typeof value === "bigint" ? String(value) : value)),
    ).not.toContain("s3cr3t");
    expect(record?.attributes["http.user_agent"]).toBe("shop/1.0");
  });

  it("applies the operator's rules to every record it emits", () => {
    const record = exchange({
      redaction: parseRedactionRules(
        JSON.stringify({
          headers: ["user-agent"],
          dropAttributes: ["http.host"],
          maskPatterns: ["page=\\d+"],
        }),
      ),
    });
    expect(record?.target).toBe(`/orders?access_token=${REDACTED}&${REDACTED}`);
    expect(record?.attributes["http.user_agent"]).toBe(REDACTED);
    expect(record?.attributes).not.toHaveProperty("http.host");
  });

  it("takes new rules at run time for every record emitted after the change", () => {
    const { pipeline, records } = makePipeline();
    const server = side({ tgid: SERVER_PID, fd: 9, generation: 1 }, Role.Server);
    pipeline.handleBatch([
      server.open(["127.0.0.1", 8080], ["127.0.0.1", 51000]),
      server.data(Direction.Ingress, REQUEST),
      server.data(Direction.Egress, RESPONSE),
    ]);
    pipeline.setRedaction(parseRedactionRules(JSON.stringify({ dropAttributes: ["http.user_agent"] })));
    pipeline.handleBatch([server.data(Direction.Ingress, REQUEST), server.data(Direction.Egress, RESPONSE)]);
    expect(records.map((record) => record.attributes["http.user_agent"])).toEqual(["shop/1.0", undefined]);
  });
});
