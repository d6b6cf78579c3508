import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chartDir, render } from "./helm.js";
import { listScenarios } from "./scenarios.js";

// The committed renders make every change to the generated manifests visible in review.
// After an intended change: UPDATE_GOLDEN=1 pnpm --filter @periscope/charts test
const updateGolden = process.env.UPDATE_GOLDEN === "1";
const goldenDir = join(chartDir, "tests", "golden");

/**
 * The tokens the chart generates (templates/auth/secret.yaml) are new on every render
 * without a cluster to look them up in; auth-tls.test.ts checks their form.
 */
function maskGeneratedTokens(rendered: string): string {
  return rendered.replace(
    /^( {2}(?:admin|ui|agent)-token: )"[A-Za-z0-9+/=]+"$/gm,
    '$1"<generated at install>"',
  );
}

describe("golden renders", () => {
  const scenarios = listScenarios();

  it("has a ci/ scenario for each storage mode", () => {
    expect(scenarios.map((scenario) => scenario.name)).toEqual(["default", "embedded", "external"]);
  });

  it.each(scenarios)("ci/$name-values.yaml matches its committed golden render", ({ name, valuesFile }) => {
    const rendered = maskGeneratedTokens(render({ valuesFiles: [valuesFile] }));
    const goldenFile = join(goldenDir, `${name}.yaml`);
    if (updateGolden) writeFileSync(goldenFile, rendered);
    expect(existsSync(goldenFile), `${goldenFile} is missing; run with UPDATE_GOLDEN=1`).toBe(true);
    expect(rendered, "render differs from the golden file; if intended, run with UPDATE_GOLDEN=1").toBe(
      readFileSync(goldenFile, "utf8"),
    );
  });
});
