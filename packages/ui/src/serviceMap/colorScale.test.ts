import { describe, expect, it } from "vitest";
import { isUnhealthy, legendFor, toneOf } from "./colorScale";

const at = (errorRatio: number, p99Ms: number, requestCount = 100) => ({ requestCount, errorRatio, p99Ms });

describe("colour scale", () => {
  it("error mode: green below 1%, amber 1–2%, red above 2%, grey without requests", () => {
    expect(toneOf("errors", at(0.009, 5000))).toBe("good");
    expect(toneOf("errors", at(0.01, 0))).toBe("warn");
    expect(toneOf("errors", at(0.02, 0))).toBe("warn");
    expect(toneOf("errors", at(0.021, 0))).toBe("bad");
    expect(toneOf("errors", at(0.5, 0, 0))).toBe("idle");
  });

  it("latency mode: green below 100 ms, amber 100–200 ms, red above 200 ms", () => {
    expect(toneOf("latency", at(0.9, 99))).toBe("good");
    expect(toneOf("latency", at(0, 150))).toBe("warn");
    expect(toneOf("latency", at(0, 201))).toBe("bad");
  });

  it("unhealthy means 1% errors or more, or p99 past 200 ms, in either mode", () => {
    expect(isUnhealthy(at(0.01, 5))).toBe(true);
    expect(isUnhealthy(at(0, 250))).toBe(true);
    expect(isUnhealthy(at(0.005, 150))).toBe(false);
    expect(isUnhealthy(at(1, 900, 0))).toBe(false);
  });

  it("the legend names the active mode and its thresholds", () => {
    expect(legendFor("errors")).toEqual({
      title: "Colour: error rate",
      entries: [
        { tone: "good", label: "< 1%" },
        { tone: "warn", label: "1%–2%" },
        { tone: "bad", label: "> 2%" },
        { tone: "idle", label: "no requests" },
      ],
    });
    expect(legendFor("latency").title).toBe("Colour: p99 latency");
    expect(legendFor("latency").entries.map((e) => e.label)).toEqual([
      "< 100 ms",
      "100 ms–200 ms",
      "> 200 ms",
      "no requests",
    ]);
  });
});
