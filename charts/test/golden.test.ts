import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chartDir, render } from "./helm.js";
import { findObject, parseManifests, soleContainer } from "./manifests.js";
import { listScenarios } from "./scenarios.js";

// The committed renders make every change to the generated manifests visible in review.
// After an intended change: UPDATE_GOLDEN=1 pnpm --filter @periscope/charts test
const updateGolden = process.env.UPDATE_GOLDEN === "1";
const goldenDir = join(chartDir, "tests", "golden");

/**
 * What the chart generates is new on every render without a cluster to look it up in:
 * the tokens (templates/auth/), the CA, certificate and key (templates/tls/), and the
 * checksum annotations over them. auth-tls.test.ts checks their form and that each
 * checksum is the sum of its Secret.
 */
function maskGenerated(rendered: string): string {
  return rendered
    .replace(/^( {2}(?:admin|ui|agent)-token: )"[A-Za-z0-9+/=]+"$/gm, '$1"<generated at install>"')
    .replace(/^( {2}(?:ca\.crt|tls\.crt|tls\.key): )"[A-Za-z0-9+/=]+"$/gm, '$1"<generated at install>"')
    .replace(/^( +checksum\/[a-z]+: )[0-9a-f]{64}$/gm, "$1<sha256 of the Secret>");
}

function golden(name: string): string {
  return readFileSync(join(goldenDir, `${name}.yaml`), "utf8");
}

describe("golden renders", () => {
  const scenarios = listScenarios();

  it("has a ci/ scenario for the defaults and each install the README describes", () => {
    expect(scenarios.map((scenario) => scenario.name)).toEqual([
      "cluster",
      "default",
      "existing-secrets",
      "external",
      "ingress-tls",
      "unprivileged",
    ]);
  });

  it.each(scenarios)("ci/$name-values.yaml matches its committed golden render", ({ name, valuesFile }) => {
    const rendered = maskGenerated(render({ valuesFiles: [valuesFile] }));
    const goldenFile = join(goldenDir, `${name}.yaml`);
    if (updateGolden) writeFileSync(goldenFile, rendered);
    expect(existsSync(goldenFile), `${goldenFile} is missing; run with UPDATE_GOLDEN=1`).toBe(true);
    expect(rendered, "render differs from the golden file; if intended, run with UPDATE_GOLDEN=1").toBe(
      golden(name),
    );
  });
});

// #15: what the default install must carry, read from the committed default render so a
// change to any of them shows in review there.
describe("the default golden render", () => {
  const objects = parseManifests(golden("default"));

  it("serves TLS by default with a generated certificate Secret the agents trust", () => {
    const secret = findObject(objects, "Secret", "periscope-collector-tls");
    expect(secret.type).toBe("kubernetes.io/tls");
    expect(Object.keys(secret.data).sort()).toEqual(["ca.crt", "tls.crt", "tls.key"]);
    const agent = soleContainer(findObject(objects, "DaemonSet", "periscope-agent"));
    const tlsEnv = (agent.env ?? []).filter((e) => e.name.startsWith("PERISCOPE_COLLECTOR_"));
    expect(tlsEnv.map((e) => [e.name, e.value])).toEqual([
      ["PERISCOPE_COLLECTOR_ADDR", "periscope-collector:4770"],
      ["PERISCOPE_COLLECTOR_TLS", "true"],
      ["PERISCOPE_COLLECTOR_CA", "/etc/periscope/tls/ca.crt"],
    ]);
  });

  it("has a PodDisruptionBudget for the collector's pods", () => {
    const budget = findObject(objects, "PodDisruptionBudget", "periscope-collector");
    const collector = findObject(objects, "StatefulSet", "periscope-collector");
    expect(budget.spec).toEqual({ maxUnavailable: 1, selector: collector.spec.selector });
  });

  it("runs the agent at system-node-critical priority", () => {
    const daemonSet = findObject(objects, "DaemonSet", "periscope-agent");
    expect(daemonSet.spec.template.spec.priorityClassName).toBe("system-node-critical");
  });
});
