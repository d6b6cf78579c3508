// `make bench` runs every benchmark in bench/suites/; `make bench-<name>` runs one.
// Each is its own process so one's heap and JIT state never colour another's figures.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const suitesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "suites");
const available = readdirSync(suitesDir)
  .filter((file) => file.endsWith(".ts"))
  .map((file) => file.replace(/\.ts$/, ""))
  .sort();

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(", ")}; available: ${available.join(", ")}`);
  process.exit(2);
}

let failed = false;
for (const name of wanted.length > 0 ? wanted : available) {
  console.log(`\n=== bench ${name}`);
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(suitesDir, `${name}.ts`)], {
    stdio: "inherit",
  });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
