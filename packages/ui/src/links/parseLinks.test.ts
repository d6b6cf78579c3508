import { describe, expect, it } from "vitest";
import { parseLink, parseLinkList } from "./parseLinks";

// As GET /api/v1/links/:id answers for a frozen link (one edge, one request).
const FROZEN_LINK = {
  id: "hM1m0sE3yXjv0Wq3lH9i2A",
  title: "payments 502",
  notes: "processor timed out",
  createdAt: "2026-12-08T03:00:00.000Z",
  createdBy: "alice",
  from: "2026-12-08T02:50:00.000Z",
  to: "2026-12-08T03:00:00.000Z",
  frozen: true,
  view: { path: "/requests", search: "from=2026-12-08T02%3A50%3A00.000Z&to=2026-12-08T03%3A00%3A00.000Z" },
  frozenMap: {
    nodes: [],
    edges: [
      {
        id: "checkout->payments",
        source: "checkout",
        target: "payments",
        protocols: ["http"],
        requestCount: 4,
        errorCount: 1,
        p50Ms: 6,
        p90Ms: 30,
        p99Ms: 40,
        meanMs: 14.5,
        observedFrom: "client",
      },
    ],
  },
  frozenRequests: [
    {
      id: "r1",
      time: "2026-12-08T02:58:00.000Z",
      protocol: "http",
      client: { service: "checkout", ip: "10.9.0.1", port: 41000 },
      server: { service: "", ip: "10.9.0.2", port: 443 },
      operation: "POST",
      target: "/charge/4",
      status: 502,
      error: true,
      durationMs: 40,
    },
  ],
};

describe("parseLink", () => {
  it("reads a frozen link's notes, map edges and requests", () => {
    const link = parseLink(FROZEN_LINK);
    expect(link?.notes).toBe("processor timed out");
    expect(link?.frozenEdges).toEqual([
      {
        source: "checkout",
        target: "payments",
        protocols: ["http"],
        requestCount: 4,
        errorCount: 1,
        p50Ms: 6,
        p99Ms: 40,
      },
    ]);
    expect(link?.frozenRequests?.[0]).toMatchObject({
      client: "checkout",
      server: "10.9.0.2:443",
      status: 502,
    });
  });

  it("tells an unfrozen link (null copies) from a frozen one that found nothing (empty copies)", () => {
    const live = parseLink({ ...FROZEN_LINK, frozen: false, frozenMap: null, frozenRequests: null });
    expect([live?.frozenEdges, live?.frozenRequests]).toEqual([null, null]);
    const empty = parseLink({ ...FROZEN_LINK, frozenMap: { nodes: [], edges: [] }, frozenRequests: [] });
    expect([empty?.frozenEdges, empty?.frozenRequests]).toEqual([[], []]);
  });

  it("refuses what is not a link", () => {
    expect(parseLink({ title: "no id" })).toBeUndefined();
    expect(parseLinkList({ nope: [] })).toBeUndefined();
    expect(parseLinkList({ links: [FROZEN_LINK, { id: "" }] })?.map((l) => l.id)).toEqual([FROZEN_LINK.id]);
  });
});
