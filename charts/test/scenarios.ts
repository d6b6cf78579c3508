import { readdirSync } from "node:fs";
import { join } from "node:path";
import { chartDir } from "./helm.js";

export interface Scenario {
  /** Golden file stem, e.g. "embedded" for ci/embedded-values.yaml. */
  name: string;
  valuesFile: string;
}

/**
 * The chart's ci/<name>-values.yaml files, the chart-testing convention: each is one
 * install a user could make, linted, validated and compared with its golden render.
 */
export function listScenarios(): Scenario[] {
  return readdirSync(join(chartDir, "ci"))
    .filter((file) => file.endsWith("-values.yaml"))
    .sort()
    .map((file) => ({ name: file.replace(/-values\.yaml$/, ""), valuesFile: join("ci", file) }));
}
