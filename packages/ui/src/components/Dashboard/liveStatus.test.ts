import { describe, expect, it } from "vitest";
import { lastUpdatedAt, liveStatus } from "./liveStatus";

describe("liveStatus", () => {
  it("is connecting until every query has answered", () => {
    const queries = [
      { error: undefined, updatedAt: 1000 },
      { error: undefined, updatedAt: undefined },
    ];
    expect(liveStatus(queries)).toBe("connecting");
    expect(lastUpdatedAt(queries)).toBeUndefined();
  });

  it("is live when all have answered, dated by the oldest refresh", () => {
    const queries = [
      { error: undefined, updatedAt: 3000 },
      { error: undefined, updatedAt: 2000 },
    ];
    expect(liveStatus(queries)).toBe("live");
    expect(lastUpdatedAt(queries)).toBe(2000);
  });

  it("is offline when any query fails, even with older data on screen", () => {
    expect(
      liveStatus([
        { error: "HTTP 502", updatedAt: 3000 },
        { error: undefined, updatedAt: 2000 },
      ]),
    ).toBe("offline");
  });
});
