import { describe, expect, it } from "vitest";
import {
  edgePanelUrls,
  edgeRequestsLink,
  nodeLinks,
  nodePanelUrls,
  parseEndpoints,
  parsePanelRequests,
  parseRed,
  sparklinePath,
} from "./panelData";

const range = { from: "2026-12-08T02:00:00.000Z", to: "2026-12-08T02:15:00.000Z" };

describe("side panel data", () => {
  it("asks the API for a node's RED, top endpoints and recent errors", () => {
    const urls = nodePanelUrls("orders/stock", range);
    expect(urls.red).toBe(
      "/api/v1/red?from=2026-12-08T02%3A00%3A00.000Z&to=2026-12-08T02%3A15%3A00.000Z&service=orders%2Fstock",
    );
    expect(new URLSearchParams(urls.endpoints.split("?")[1]).get("limit")).toBe("5");
    expect(Object.fromEntries(new URLSearchParams(urls.errors.split("?")[1]))).toMatchObject({
      service: "orders/stock",
      error: "true",
    });
  });

  it("asks for an edge's RED by client and server, and the calls between the pair", () => {
    const urls = edgePanelUrls("orders/orders", "orders/stock", range);
    expect(Object.fromEntries(new URLSearchParams(urls.red.split("?")[1]))).toMatchObject({
      client: "orders/orders",
      server: "orders/stock",
    });
    expect(Object.fromEntries(new URLSearchParams(urls.requests.split("?")[1]))).toMatchObject({
      service: "orders/orders",
      peer: "orders/stock",
    });
  });

  it("links carry the frame and the service", () => {
    const frame = new URLSearchParams("range=1h");
    expect(nodeLinks("shop/cart", frame)).toEqual({
      requests: "/requests?range=1h&service=shop%2Fcart",
      servicePage: "/services/shop%2Fcart?range=1h",
      flame: "/flame?range=1h&service=shop%2Fcart",
    });
    expect(edgeRequestsLink("a", "b", new URLSearchParams())).toBe("/requests?service=a&peer=b");
  });

  it("parses RED points, endpoints and requests, skipping unreadable entries", () => {
    expect(
      parseRed({
        points: [
          { time: "2026-12-08T02:00:00.000Z", requestsPerSecond: 2, errorRatio: 0.1, p99Ms: 9 },
          { time: "x" },
        ],
      }),
    ).toEqual([
      { timeMs: Date.parse("2026-12-08T02:00:00.000Z"), requestsPerSecond: 2, errorRatio: 0.1, p99Ms: 9 },
    ]);
    expect(parseRed({})).toBeUndefined();
    expect(
      parseEndpoints({
        endpoints: [{ protocol: "http", operation: "POST", target: "/reserve", errorRatio: 0.08 }],
      })?.[0],
    ).toMatchObject({
      operation: "POST",
      target: "/reserve",
      errorRatio: 0.08,
      p99Ms: 0,
    });
    expect(
      parsePanelRequests({
        requests: [
          {
            id: "r1",
            client: { service: "orders/orders" },
            server: { service: "orders/stock" },
            status: 503,
            error: true,
          },
        ],
      })?.[0],
    ).toMatchObject({ id: "r1", client: "orders/orders", server: "orders/stock", status: 503, error: true });
  });

  it("sparkline: scaled to the series max, empty below two points", () => {
    expect(sparklinePath([0, 5, 10], 100, 20)).toBe("M0,20 L50,10 L100,0");
    expect(sparklinePath([0, 0], 10, 4)).toBe("M0,4 L10,4");
    expect(sparklinePath([3], 10, 4)).toBe("");
  });
});
