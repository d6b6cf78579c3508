import { describe, expect, it } from "vitest";
import {
  activeFilterCount,
  DEFAULT_FILTERS,
  filterProblem,
  readFilters,
  requestsApiParams,
  writeFilters,
} from "./requestFilters";

const FRAME = {
  from: new Date("2026-12-08T02:00:00Z"),
  to: new Date("2026-12-08T02:15:00Z"),
  namespace: "shop",
  service: "demo-orders",
};

describe("URL form", () => {
  it("writes only what differs from the default and keeps other views' keys", () => {
    const params = writeFilters(new URLSearchParams("range=1h&service=x"), {
      ...DEFAULT_FILTERS,
      protocol: "http",
      error: "true",
    });
    expect(params.toString()).toBe("range=1h&service=x&protocol=http&error=true");
  });

  it("reads back what it wrote", () => {
    const filters = { ...DEFAULT_FILTERS, status: "503", minDurationMs: "0.5", selFrom: 10, selTo: 20 };
    expect(readFilters(writeFilters(new URLSearchParams(), filters))).toEqual(filters);
  });

  it("drops values the API would refuse, and half a selection window", () => {
    const filters = readFilters(
      new URLSearchParams("status=abc&traceId=xyz&pod=Bad_Pod&selFrom=10&error=maybe"),
    );
    expect(filters).toEqual(DEFAULT_FILTERS);
  });
});

describe("requestsApiParams", () => {
  it("sends the frame, the filters set and the page size", () => {
    const params = requestsApiParams(
      FRAME,
      { ...DEFAULT_FILTERS, protocol: "http", status: "500" },
      { limit: 200 },
    );
    expect(Object.fromEntries(params)).toEqual({
      from: String(FRAME.from.getTime()),
      to: String(FRAME.to.getTime()),
      namespace: "shop",
      service: "demo-orders",
      protocol: "http",
      status: "500",
      limit: "200",
    });
  });

  it("narrows the list to a heatmap selection", () => {
    const filters = {
      ...DEFAULT_FILTERS,
      selFrom: FRAME.from.getTime() + 60_000,
      selTo: FRAME.from.getTime() + 120_000,
      minDurationMs: "8",
      maxDurationMs: "16",
    };
    const list = requestsApiParams(FRAME, filters, { limit: 100, cursor: "abc" });
    expect(list.get("from")).toBe(String(filters.selFrom));
    expect(list.get("to")).toBe(String(filters.selTo));
    expect(list.get("minDurationMs")).toBe("8");
    expect(list.get("cursor")).toBe("abc");
  });

  it("clamps a selection to the frame", () => {
    const filters = { ...DEFAULT_FILTERS, selFrom: 1, selTo: FRAME.to.getTime() + 1e9 };
    const params = requestsApiParams(FRAME, filters, { limit: 10 });
    expect(params.get("from")).toBe(String(FRAME.from.getTime()));
    expect(params.get("to")).toBe(String(FRAME.to.getTime()));
  });
});

describe("filterProblem and activeFilterCount", () => {
  it("explains values the API would refuse", () => {
    expect(filterProblem("status", "5x")).toMatch(/whole number/);
    expect(filterProblem("minDurationMs", "1.1234567")).toMatch(/milliseconds/);
    expect(filterProblem("traceId", "abc")).toMatch(/32 hex/);
    expect(filterProblem("status", "")).toBeUndefined();
    expect(filterProblem("target", "anything at all")).toBeUndefined();
  });

  it("counts the filters set, a selection as one", () => {
    expect(activeFilterCount(DEFAULT_FILTERS)).toBe(0);
    expect(activeFilterCount({ ...DEFAULT_FILTERS, peer: "a", error: "true", selFrom: 1, selTo: 2 })).toBe(3);
  });
});
