// The agent as an operator runs it, driven well past a small record budget by
// a real client against a real server: the metric series must count every
// request the server counted, the kept records' weights must add up to about
// that count, every error must be kept, and a traced request must be kept at
// both ends or at neither. Also: a process titled periscope-* is left out of
// capture, and the agent names itself periscope-agent.
import { readFileSync } from "node:fs";
import { type ExportRequest, SeriesKind, Side } from "@periscope/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  isRoot,
  type NodeChild,
  nextLine,
  requireRootInCi,
  runToExit,
  startNode,
  waitFor,
} from "../capture/fixtures/kernel-processes.js";
import { runNodeScript } from "../protocols/testing/kernel-capture.js";
import { type AgentProcess, agentAttached, startAgentProcess } from "../testing/agent-process.js";
import { type FakeCollector, startFakeCollector } from "../testing/fake-collector.js";

requireRootInCi("record-budget.kernel.test.ts");

// About 5× the budget on this 2-core machine (~2,500 requests/s, two ends each).
// The weighted count's spread is sqrt(requests·(1/p − 1)): ~2% here, so 10% is far outside it.
const BUDGET = 1_000;
const REQUESTS = 12_000;

/** Answers 500 on /fail, 200 otherwise; a stdin line "count" prints how many requests it answered. */
const COUNTING_SERVER = `
let answered = 0;
const server = require("node:http").createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    answered++;
    res.writeHead(req.url.startsWith("/fail") ? 500 : 200, { "content-type": "text/plain" });
    res.end("ok");
  });
});
process.stdin.on("data", () => console.log(answered));
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
`;

/** argv: port, requests. Eight keep-alive connections; every 50th request fails, every 40th carries a traceparent. */
const FLOOD_CLIENT = `
const http = require("node:http");
const crypto = require("node:crypto");
const [port, total] = process.argv.slice(1).map(Number);
const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
let next = 0;
function one() {
  const i = next++;
  if (i >= total) return Promise.resolve();
  const headers = {};
  if (i % 40 === 0) headers.traceparent = "00-" + crypto.randomBytes(16).toString("hex") + "-" + crypto.randomBytes(8).toString("hex") + "-01";
  return new Promise((resolve, reject) => {
    http.get({ host: "127.0.0.1", port, path: i % 50 === 0 ? "/fail/" + i : "/items/" + i, agent, headers }, (res) => {
      res.resume();
      res.on("end", resolve);
    }).on("error", reject);
  }).then(one);
}
Promise.all(Array.from({ length: 8 }, one)).then(() => agent.destroy());
`;

const TITLED_SERVER = `
process.title = "periscope-collector";
require("node:http").createServer((req, res) => res.end("ok")).listen(0, "127.0.0.1", function () {
  console.log(this.address().port);
});
`;

describe.skipIf(!isRoot)("the record budget, end to end (root only; skipped otherwise outside CI)", () => {
  let collector: FakeCollector;
  let server: NodeChild;
  let titled: NodeChild;
  let agent: AgentProcess;

  beforeAll(async () => {
    collector = await startFakeCollector();
    server = await startNode(COUNTING_SERVER);
    // Running before the agent starts: its first /proc scan finds it.
    titled = await startNode(TITLED_SERVER);
    agent = startAgentProcess({
      PERISCOPE_COLLECTOR_ADDR: collector.address,
      PERISCOPE_AGENT_ID: "budget-test",
      PERISCOPE_RECORD_BUDGET: String(BUDGET),
      PERISCOPE_METRICS_INTERVAL_MS: "1000",
      PERISCOPE_AGENT_API_ADDR: `127.0.0.1:${40_000 + Math.floor(Math.random() * 20_000)}`,
    });
    await agentAttached(agent);
  }, 30_000);

  afterAll(async () => {
    agent?.child.kill("SIGKILL");
    server?.child.kill();
    titled?.child.kill();
    await collector?.stop();
  });

  it("counts every request in the metrics, weighs the kept records to that count, keeps errors and whole traces", async () => {
    const port = Number(server.firstLine);
    await runNodeScript(FLOOD_CLIENT, [String(port), String(REQUESTS)]);
    server.child.stdin?.write("count\n");
    const answered = Number(await nextLine(server.child));
    expect(answered).toBe(REQUESTS);

    const batches = collector.received;
    const serverSeriesCount = () =>
      batches
        .flatMap((b: ExportRequest) => b.metrics)
        .filter((s) => s.kind === SeriesKind.EDGE && s.side === Side.SERVER && s.server?.port === port)
        .reduce((sum, s) => sum + Number(s.count), 0);
    // Intervals of 1 s, drained each second, batches flushed each second.
    await waitFor(
      "the series to count every request",
      () => (serverSeriesCount() >= answered ? true : undefined),
      15_000,
    );
    expect(serverSeriesCount()).toBe(answered);
    const endpointCount = batches
      .flatMap((b) => b.metrics)
      .filter((s) => s.kind === SeriesKind.ENDPOINT && s.side === Side.SERVER && s.server?.port === port)
      .reduce((sum, s) => sum + Number(s.count), 0);
    expect(endpointCount).toBe(answered);

    const records = batches.flatMap((b) => b.requests).filter((r) => r.server?.port === port);
    const serverRecords = records.filter((r) => r.side === Side.SERVER);
    const clientRecords = records.filter((r) => r.side === Side.CLIENT);
    // Sampled: far fewer records than requests…
    expect(serverRecords.length).toBeLessThan(answered / 3);
    // …weighing about as much as every request.
    const weightSum = serverRecords.reduce((sum, r) => sum + r.sampleWeight, 0);
    expect(Math.abs(weightSum - answered) / answered).toBeLessThan(0.1);

    // Every error, at both ends, with weight 1.
    const failed = REQUESTS / 50;
    for (const side of [serverRecords, clientRecords]) {
      const errors = side.filter((r) => r.status === 500);
      expect(errors).toHaveLength(failed);
      expect(errors.every((r) => r.sampleWeight === 1)).toBe(true);
    }
    // A traced request at both ends or at neither.
    const traced = (list: typeof records) =>
      new Set(list.filter((r) => r.traceId !== "").map((r) => r.traceId));
    const serverTraces = traced(serverRecords);
    const clientTraces = traced(clientRecords);
    expect(serverTraces.size).toBeGreaterThan(0);
    expect([...serverTraces].sort()).toEqual([...clientTraces].sort());

    const drops = batches.at(-1)?.agent?.drops;
    expect(Number(drops?.recordsSampledOut)).toBeGreaterThan(0);
    expect(Number(drops?.metricSeriesDropped)).toBe(0);
  }, 60_000);

  it("leaves a process titled periscope-* out of capture, and names itself periscope-agent", async () => {
    const port = Number(titled.firstLine);
    await runToExit("curl", ["-s", `http://127.0.0.1:${port}/self`]);
    const countPort = Number(server.firstLine);
    // A request the agent does capture, sent after: once it is exported, the other would be too.
    // Sent until one is kept: the flood above may still hold the sampling probability down.
    const exported = () => collector.received.some((b) => b.requests.some((r) => r.target === "/after-self"));
    for (let attempt = 0; attempt < 20 && !exported(); attempt++) {
      await runToExit("curl", ["-s", `http://127.0.0.1:${countPort}/after-self`]);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await waitFor("the capturable request", () => (exported() ? true : undefined), 5_000);
    const titledRecords = collector.received
      .flatMap((b) => b.requests)
      .filter((r) => r.server?.port === port);
    // curl's own end is still captured; the periscope-collector end is not.
    expect(titledRecords.filter((r) => r.side === Side.SERVER)).toEqual([]);
    expect(readFileSync(`/proc/${agent.child.pid}/comm`, "utf8").trim()).toBe("periscope-agent");
  }, 20_000);
});
