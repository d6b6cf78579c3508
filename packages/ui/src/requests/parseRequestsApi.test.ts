import { describe, expect, it } from "vitest";
import {
  parseConnections,
  parsePickerNames,
  parseRedCounts,
  parseRequestDetail,
  parseRequestsPage,
  parseServiceTotals,
} from "./parseRequestsApi";
import { CHECKOUT_DETAIL, LAST_PAGE, ORDERS_CONNECTIONS, SAMPLED_PAGE } from "./requests.fixtures";

describe("parseRequestsPage", () => {
  it("reads records, the cursor and the sampling account, dropping non-records", () => {
    const page = parseRequestsPage(SAMPLED_PAGE);
    expect(page?.requests.map((r) => r.id)).toEqual([
      "1777630499123000000-a1b2c3d4",
      "1777630499100000000-deadbeef",
    ]);
    expect(page?.requests[0]?.server.namespace).toBe("shop");
    expect(page?.requests[0]?.server.containerId).toBe(`${"a".repeat(60)}1006`);
    expect(page?.requests[1]?.sampleWeight).toBe(4);
    expect(page?.nextCursor).toBe("MTc3NzYzMDQ5OTEwMDAwMDAwMC1kZWFkYmVlZg");
    expect(page?.sampling).toEqual({ sampled: true, records: 2, estimatedRequests: 5, maxSampleWeight: 4 });
  });

  it("reads a null cursor as the last page", () => {
    expect(parseRequestsPage(LAST_PAGE)?.nextCursor).toBeNull();
  });

  it("refuses a body that is not a requests page", () => {
    expect(parseRequestsPage({ error: { code: "internal" } })).toBeUndefined();
    expect(parseRequestsPage(null)).toBeUndefined();
  });
});

describe("parseRequestDetail", () => {
  it("keeps both observations with their attributes", () => {
    const detail = parseRequestDetail(CHECKOUT_DETAIL);
    expect(detail?.observations.map((o) => o.side)).toEqual(["client", "server"]);
    expect(detail?.observations[0]?.truncated).toBe(true);
    expect(detail?.request.attributes["http.request.header.accept"]).toBe("application/json");
  });

  it("refuses a body without a request", () => {
    expect(parseRequestDetail({ observations: [] })).toBeUndefined();
  });
});

describe("small resources", () => {
  it("reads picker names, skipping blanks", () => {
    expect(parsePickerNames({ kind: "service", names: [{ name: "a", requests: 3 }, { name: "" }] })).toEqual([
      { name: "a", requests: 3 },
    ]);
  });

  it("reads connection intervals and RED points", () => {
    expect(parseConnections(ORDERS_CONNECTIONS)?.[1]?.retransmits).toBe(2);
    expect(parseRedCounts({ stepSeconds: 120, points: [{ time: "t", requests: 4, errors: 1 }] })).toEqual({
      stepSeconds: 120,
      points: [{ time: "t", requests: 4, errors: 1 }],
    });
    expect(parseRedCounts({})).toBeUndefined();
  });

  it("sums the services' exact totals", () => {
    expect(
      parseServiceTotals({
        services: [
          { name: "a", requestCount: 10, errorCount: 1 },
          { name: "b", requestCount: 5, errorCount: 0 },
        ],
      }),
    ).toEqual({ requests: 15, errors: 1 });
  });
});
