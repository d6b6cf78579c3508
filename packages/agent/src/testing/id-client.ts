// Test support: a real keep-alive HTTP client in its own process sending
// steady traffic in which every request has its own id (/<prefix>/<n>), so a
// test can compare what is stored with what was sent record by record.
import { type ChildProcess, spawn } from "node:child_process";

/** Prints the paths answered, one per line, when it is done. */
const CLIENT_SCRIPT = `
const http = require("node:http");
const [port, prefix, seconds, rate] = process.argv.slice(1);
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
const total = Math.round(Number(seconds) * Number(rate));
const answered = [];
let sent = 0, settled = 0;
const start = Date.now();
const timer = setInterval(() => {
  const due = Math.min(total, Math.floor(((Date.now() - start) * Number(rate)) / 1000));
  for (; sent < due; sent++) {
    const path = "/" + prefix + "/" + sent;
    const request = http.get({ host: "127.0.0.1", port: Number(port), path, agent }, (response) => {
      response.resume();
      response.on("end", () => { answered.push(path); done(); });
    });
    request.on("error", done);
  }
  if (sent >= total) clearInterval(timer);
}, 5);
function done() {
  if (++settled < total) return;
  agent.destroy();
  process.stdout.write(answered.join("\\n") + "\\n");
}
`;

/** Sends `rate` requests/s for `seconds` to 127.0.0.1:port; resolves with the paths answered. */
export function runIdClient(port: string, prefix: string, seconds: number, rate: number): Promise<string[]> {
  const child: ChildProcess = spawn(
    process.execPath,
    ["-e", CLIENT_SCRIPT, port, prefix, String(seconds), String(rate)],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", () => resolve(output.split("\n").filter((line) => line.startsWith(`/${prefix}/`))));
  });
}

/** How often each sent path is stored per side, from (target, side, count) rows. */
export function compareSentWithStored(
  sent: ReadonlyMap<string, readonly string[]>,
  rows: readonly [target: string, side: string, count: number][],
): {
  byPhase: Record<string, { sent: number; stored: number; missing: number; twice: number }>;
  extra: string[];
} {
  const stored = new Map<string, { client: number; server: number }>();
  for (const [target, side, count] of rows) {
    const entry = stored.get(target) ?? { client: 0, server: 0 };
    if (side === "client" || side === "server") entry[side] += count;
    stored.set(target, entry);
  }
  const byPhase: Record<string, { sent: number; stored: number; missing: number; twice: number }> = {};
  for (const [phase, paths] of sent) {
    let missing = 0;
    let twice = 0;
    for (const path of paths) {
      const entry = stored.get(path);
      if (entry === undefined || entry.client === 0 || entry.server === 0) missing++;
      if (entry !== undefined && (entry.client > 1 || entry.server > 1)) twice++;
    }
    byPhase[phase] = { sent: paths.length, stored: paths.length - missing, missing, twice };
  }
  const allSent = new Set([...sent.values()].flat());
  return { byPhase, extra: [...stored.keys()].filter((path) => !allSent.has(path)) };
}
