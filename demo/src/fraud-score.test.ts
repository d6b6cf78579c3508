import { describe, expect, it } from "vitest";
import { scoreFraudRiskHotLoop } from "./fraud-score.js";

describe("scoreFraudRiskHotLoop", () => {
  it("scores the same payment the same way, within 0–99", () => {
    const score = scoreFraudRiskHotLoop(42, 12_345, 10_000);
    expect(score).toBe(scoreFraudRiskHotLoop(42, 12_345, 10_000));
    expect(score).toBeGreaterThanOrEqual(0);
    expect(score).toBeLessThan(100);
  });

  it("spreads payments over the range (a model that always says 0 would hide nothing)", () => {
    const scores = new Set(Array.from({ length: 200 }, (_, user) => scoreFraudRiskHotLoop(user, 999, 100)));
    expect(scores.size).toBeGreaterThan(50);
  });
});
