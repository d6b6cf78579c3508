// `make test`: lint, every package's vitest suite, then the browser end-to-end
// suite; prints one closing line with the totals and fails if anything failed.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const reportDir = mkdtempSync(path.join(tmpdir(), "periscope-tests-"));

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}
const total: Tally = { passed: 0, failed: 0, skipped: 0 };
const failedSuites: string[] = [];
// What failed, test by test, repeated after the totals: CI keeps only the log's tail.
const failures: string[] = [];
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");
/** A message's first non-empty line, without colour codes, bounded. */
function firstLine(text: string): string {
  const lines = text.replace(ANSI_COLOUR, "").split("\n");
  return (lines.find((line) => line.trim() !== "") ?? "").trim().slice(0, 300);
}

function run(label: string, command: string, args: string[], cwd = repoRoot): boolean {
  console.log(`\n=== ${label}`);
  const result = spawnSync(command, args, { cwd, stdio: "inherit", env: process.env });
  if (result.status !== 0) failedSuites.push(label);
  return result.status === 0;
}

function vitestSuite(dir: string): void {
  const report = path.join(reportDir, `${path.basename(dir)}.json`);
  const ok = run(
    `vitest ${dir}`,
    "pnpm",
    ["exec", "vitest", "run", "--reporter=default", "--reporter=json", `--outputFile=${report}`],
    path.join(repoRoot, dir),
  );
  if (!existsSync(report)) {
    if (ok) failedSuites.push(`vitest ${dir} (no report)`);
    total.failed += 1;
    return;
  }
  const json = JSON.parse(readFileSync(report, "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    testResults: {
      name: string;
      status: string;
      message?: string;
      assertionResults: { fullName: string; status: string; failureMessages?: string[] }[];
    }[];
  };
  for (const file of json.testResults) {
    const where = path.relative(repoRoot, file.name);
    if (file.status !== "failed") continue;
    // A failed beforeAll fails the file with its tests reported as skipped and its
    // error only in the log above (vitest's JSON keeps no message for it).
    const fileError = file.message
      ? firstLine(file.message)
      : "a hook failed (its error is in the log above)";
    const failedTests = file.assertionResults.filter((test) => test.status === "failed");
    if (failedTests.length === 0) failures.push(`${where}: ${fileError}`);
    for (const test of failedTests)
      failures.push(`${where} › ${test.fullName}: ${firstLine(test.failureMessages?.join("\n") ?? "")}`);
  }
  total.passed += json.numPassedTests;
  total.failed += json.numFailedTests;
  total.skipped += json.numPendingTests + json.numTodoTests;
}

function playwrightSuite(): void {
  const report = path.join(reportDir, "e2e.json");
  process.env.PLAYWRIGHT_JSON_OUTPUT_NAME = report;
  run(
    "playwright e2e",
    "pnpm",
    ["exec", "playwright", "test", "--reporter=list,json"],
    path.join(repoRoot, "e2e"),
  );
  if (!existsSync(report)) {
    total.failed += 1;
    return;
  }
  const json = JSON.parse(readFileSync(report, "utf8")) as {
    stats: { expected: number; unexpected: number; flaky: number; skipped: number };
    suites: PlaywrightSuite[];
  };
  collectPlaywrightFailures(json.suites);
  total.passed += json.stats.expected + json.stats.flaky;
  total.failed += json.stats.unexpected;
  total.skipped += json.stats.skipped;
}

interface PlaywrightSuite {
  title: string;
  suites?: PlaywrightSuite[];
  specs?: {
    title: string;
    file: string;
    tests: { status: string; results: { error?: { message?: string } }[] }[];
  }[];
}

function collectPlaywrightFailures(suites: PlaywrightSuite[]): void {
  for (const suite of suites) {
    collectPlaywrightFailures(suite.suites ?? []);
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        if (test.status === "expected" || test.status === "flaky") continue;
        const error = test.results.map((result) => result.error?.message ?? "").find((m) => m !== "") ?? "";
        failures.push(`e2e/${spec.file} › ${spec.title}: ${test.status} ${firstLine(error)}`);
      }
    }
  }
}

const suites = [
  "packages/proto",
  "packages/agent",
  "packages/collector",
  "packages/ui",
  "charts",
  "deploy",
  "demo",
].filter((dir) => existsSync(path.join(repoRoot, dir, "vitest.config.ts")));

run("lint (biome)", "pnpm", ["exec", "biome", "check", "."]);
run("typecheck (packages)", "pnpm", ["-r", "--workspace-concurrency=2", "run", "typecheck"]);
run("typecheck (scripts)", "pnpm", ["exec", "tsc", "-p", "scripts/tsconfig.json"]);
run("typecheck (deploy tests)", "pnpm", ["exec", "tsc", "-p", "deploy/tsconfig.json"]);
for (const dir of suites) vitestSuite(dir);
playwrightSuite();

if (failures.length > 0) console.log(`\nNot passed:\n${failures.map((f) => `  ${f}`).join("\n")}`);
if (failedSuites.length > 0) console.log(`\nFailed: ${failedSuites.join("; ")}`);
console.log(`\nTests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(failedSuites.length > 0 || total.failed > 0 ? 1 : 0);
