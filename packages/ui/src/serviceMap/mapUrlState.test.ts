import { describe, expect, it } from "vitest";
import { DEFAULT_MAP_STATE, mapStatePatch, readMapState } from "./mapUrlState";

describe("map URL state", () => {
  it("an empty query is the default view", () => {
    expect(readMapState(new URLSearchParams())).toEqual(DEFAULT_MAP_STATE);
  });

  it("reads every key; bad values fall back to the default", () => {
    const state = readMapState(
      new URLSearchParams(
        "labels=p99&color=latency&unhealthy=1&find=ns%3Dshop&collapsed=orders,billing,orders&view=table&node=shop%2Fcart&range=1h",
      ),
    );
    expect(state).toMatchObject({
      labels: "p99",
      color: "latency",
      unhealthy: true,
      find: "ns=shop",
      collapsed: ["billing", "orders"],
      view: "table",
      node: "shop/cart",
    });
    expect(readMapState(new URLSearchParams("labels=bogus&view=3d")).labels).toBe("rate");
  });

  it("patches remove keys set back to their default and write the rest", () => {
    expect(mapStatePatch({ labels: "rate", color: "latency", collapsed: [] })).toEqual({
      labels: undefined,
      color: "latency",
      collapsed: undefined,
    });
    expect(mapStatePatch({ collapsed: ["shop", "billing"] })).toEqual({ collapsed: "billing,shop" });
  });
});
