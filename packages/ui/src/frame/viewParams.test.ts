import { describe, expect, it } from "vitest";
import { booleanParam, enumParam, numberParam, readParams, stringParam, writeParams } from "./viewParams";

// A map view's own state, as a view owner would declare it.
const schema = {
  labels: enumParam(["rate", "errors", "p99"] as const),
  unhealthy: booleanParam,
  find: stringParam(100),
  zoom: numberParam(0.1, 10),
};
const defaults = { labels: "rate" as const, unhealthy: false, find: "", zoom: 1 } as {
  labels: "rate" | "errors" | "p99";
  unhealthy: boolean;
  find: string;
  zoom: number;
};

describe("readParams", () => {
  it("reads valid values and falls back to defaults for bad ones", () => {
    const params = new URLSearchParams("labels=p99&unhealthy=yes&zoom=99&find=ns%3Dshop");
    expect(readParams(params, schema, defaults)).toEqual({
      labels: "p99",
      unhealthy: false,
      find: "ns=shop",
      zoom: 1,
    });
  });
});

describe("writeParams", () => {
  it("writes only values that differ from the default and keeps foreign keys", () => {
    const out = writeParams(
      new URLSearchParams("range=1h&labels=p99"),
      schema,
      { labels: "rate", unhealthy: true, zoom: 2 },
      defaults,
    );
    expect(out.toString()).toBe("range=1h&unhealthy=1&zoom=2");
  });
});
