import { describe, expect, it } from "vitest";
import demoNamespaces from "../fixtures/map-demo-namespaces.json";
import { edgeExportRows, edgesToCsv, edgesToJson } from "./exportEdges";
import { mapModelOf } from "./mapModel";

const model = mapModelOf(demoNamespaces);
if (!model) throw new Error("fixture is not a map response");

describe("edge export", () => {
  const rows = edgeExportRows(model.edges, model.nodes);

  it("CSV: a header, one CRLF line per edge, namespaces and derived figures", () => {
    const csv = edgesToCsv(rows);
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe(
      "source,sourceNamespace,target,targetNamespace,protocols,requestCount,errorCount,requestsPerSecond,errorRatio,p50Ms,p99Ms",
    );
    expect(lines).toHaveLength(model.edges.length + 2); // header + rows + trailing empty
    expect(lines).toContain("orders/orders,orders,orders/stock,orders,http,4500,375,5,0.083333,1.5,6.2");
    expect(lines).toContain("shop/catalog,shop,127.0.0.1:6379,,redis,3600,0,4,0,0.2,0.9");
  });

  it("CSV: quotes commas and quotes, and keeps formula-like names as text", () => {
    const csv = edgesToCsv([
      {
        ...rows[0],
        source: 'a,"b"',
        target: "=HYPERLINK(1)",
        protocols: ["http", "grpc"],
      } as (typeof rows)[0],
    ]);
    expect(csv.split("\r\n")[1]).toMatch(/^"a,""b""",shop,'=HYPERLINK\(1\),shop,http grpc,/);
  });

  it("JSON: the range and every edge, parseable back", () => {
    const parsed = JSON.parse(edgesToJson(rows, model));
    expect(parsed.from).toBe("2026-12-08T02:00:00.000Z");
    expect(parsed.edges).toHaveLength(model.edges.length);
    expect(parsed.edges[0]).toEqual({
      source: "shop/loadgen",
      sourceNamespace: "shop",
      target: "shop/frontend",
      targetNamespace: "shop",
      protocols: ["http"],
      requestCount: 9000,
      errorCount: 720,
      requestsPerSecond: 10,
      errorRatio: 0.08,
      p50Ms: 310,
      p99Ms: 520,
    });
  });
});
