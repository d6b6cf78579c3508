// Every benchmark ends here: its figures printed and written as JSON to
// bench/results/<name>.json (git-ignored), with the machine they came from.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const resultsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "results");

export function writeResults(
  name: string,
  figures: Record<string, number | boolean | Record<string, number>>,
): void {
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${name}.json`);
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    node: process.version,
  };
  writeFileSync(
    file,
    `${JSON.stringify({ ...figures, machine, measuredAt: new Date().toISOString() }, null, 2)}\n`,
  );
  console.log(JSON.stringify(figures, null, 2));
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

/**
 * Adds figures to bench/results/<name>.json, keeping the figures already there
 * that these do not replace: for a suite that can run one phase on its own.
 */
export function mergeResults(
  name: string,
  figures: Record<string, number | boolean | Record<string, number>>,
): void {
  const file = path.join(resultsDir, `${name}.json`);
  const previous = existsSync(file)
    ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, number | boolean | Record<string, number>>)
    : {};
  delete previous.machine;
  delete previous.measuredAt;
  writeResults(name, { ...previous, ...figures });
}

/** Runs fn repeatedly for at least minMs and returns operations per second. */
export function opsPerSecond(fn: () => number, minMs = 1_000): number {
  let operations = 0;
  const start = process.hrtime.bigint();
  let elapsedNs = 0n;
  while (elapsedNs < BigInt(minMs) * 1_000_000n) {
    operations += fn();
    elapsedNs = process.hrtime.bigint() - start;
  }
  return Math.round(operations / (Number(elapsedNs) / 1e9));
}
