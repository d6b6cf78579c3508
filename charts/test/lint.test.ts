import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chartDir, runHelm } from "./helm.js";
import { listScenarios } from "./scenarios.js";

describe("helm lint --strict", () => {
  it("passes with the default values", () => {
    const result = runHelm(["lint", "--strict", chartDir]);
    expect(result.stderr + result.stdout).toContain("0 chart(s) failed");
    expect(result.status).toBe(0);
  });

  it.each(listScenarios())("passes with ci/$name-values.yaml", ({ valuesFile }) => {
    const result = runHelm(["lint", "--strict", chartDir, "--values", join(chartDir, valuesFile)]);
    expect(result.stderr + result.stdout).toContain("0 chart(s) failed");
    expect(result.status).toBe(0);
  });
});
