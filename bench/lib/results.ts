// Every benchmark ends here: its figures printed and written as JSON to
// bench/results/<name>.json (git-ignored), with the machine they came from.
import { mkdirSync, writeFileSync } from "node:fs";
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
