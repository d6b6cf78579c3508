// The agent process captures TLS plaintext by itself: it finds the node
// binary and libssl.so.3 in use (its /proc scan), attaches the uprobes, and
// exports curl's HTTPS request to a Node HTTPS server marked tls=true.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Side } from "@periscope/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isRoot, nextLine, requireRootInCi, waitFor } from "../capture/fixtures/kernel-processes.js";
import { type AgentProcess, agentAttached, startAgentProcess } from "../testing/agent-process.js";
import { type FakeCollector, startFakeCollector } from "../testing/fake-collector.js";

requireRootInCi("agent-tls.kernel.test.ts");

const HTTPS_SERVER = `
const fs = require("node:fs");
const server = require("node:https").createServer(
  { key: fs.readFileSync(process.argv[1]), cert: fs.readFileSync(process.argv[2]) },
  (req, res) => { req.resume(); req.on("end", () => res.end("ok")); });
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
`;

describe.skipIf(!isRoot)("agent process TLS capture (root only; skipped otherwise outside CI)", () => {
  let collector: FakeCollector;
  let agent: AgentProcess;
  let server: ReturnType<typeof spawn>;
  let port: number;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "periscope-agent-tls-"));
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost"].concat([
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ]),
      { stdio: "ignore" },
    );
    server = spawn(process.execPath, ["-e", HTTPS_SERVER, join(dir, "key.pem"), join(dir, "cert.pem")], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    port = Number(await nextLine(server));
    collector = await startFakeCollector();
    agent = startAgentProcess({
      PERISCOPE_COLLECTOR_ADDR: collector.address,
      PERISCOPE_AGENT_ID: "tls-test",
      PERISCOPE_TLS_SCAN_INTERVAL_MS: "200",
    });
    await agentAttached(agent);
  }, 40_000);

  afterAll(async () => {
    agent?.child.kill("SIGKILL");
    server?.kill();
    await collector?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("exports curl's HTTPS request with its plaintext method and path, marked tls", async () => {
    // curl starts after the agent: its libssl.so.3 is attached once the scan
    // sees a process mapping it (curl itself, or any earlier one).
    const target = "/agent-tls?k=v";
    const requests = () =>
      collector.received.flatMap((batch) => batch.requests).filter((r) => r.target === target);
    await waitFor(
      "a TLS record of curl's request",
      () => {
        if (requests().some((r) => r.attributes.tls === "true")) return true;
        execFileSync("curl", ["-sk", "--http1.1", `https://127.0.0.1:${port}${target}`]);
        return undefined;
      },
      15_000,
    );
    const ours = requests();
    expect(ours.every((r) => r.operation === "GET" && r.attributes.tls === "true")).toBe(true);
    expect(agent.output()).not.toContain("TLS uprobes not attached");
  }, 30_000);

  it("attaches a libssl no process used before, when its first process connects (no scan in between)", async () => {
    // A private copy of libssl.so.3 is a file no process maps yet. The agent
    // below scans /proc only at start; the copy can reach it only through the
    // kernel's conn-open event for curl. curl sends two requests on one
    // connection half a second apart: the second is surely after the attach.
    const libDir = join(dir, "lib");
    execFileSync("mkdir", ["-p", libDir]);
    execFileSync("cp", ["/usr/lib/x86_64-linux-gnu/libssl.so.3", join(libDir, "libssl.so.3")]);
    const lateCollector = await startFakeCollector();
    const lateAgent = startAgentProcess({
      PERISCOPE_COLLECTOR_ADDR: lateCollector.address,
      PERISCOPE_AGENT_ID: "tls-notice-test",
      PERISCOPE_AGENT_API_ADDR: "127.0.0.1:47123",
      PERISCOPE_TLS_SCAN_INTERVAL_MS: "3600000",
    });
    try {
      await agentAttached(lateAgent);
      const base = `https://127.0.0.1:${port}`;
      execFileSync(
        "curl",
        ["-sk", "--http1.1", "--rate", "2/s", `${base}/notice/first`, `${base}/notice/second`],
        {
          env: { ...process.env, LD_LIBRARY_PATH: libDir },
        },
      );
      const second = await waitFor(
        "the second request, in plaintext",
        () =>
          lateCollector.received
            .flatMap((batch) => batch.requests)
            // curl's own end: the Node server's end comes through the node binary, attached at start.
            .find(
              (r) => r.target === "/notice/second" && r.attributes.tls === "true" && r.side === Side.CLIENT,
            ),
        10_000,
      );
      expect(second.operation).toBe("GET");
    } finally {
      lateAgent.child.kill("SIGKILL");
      await lateCollector.stop();
    }
  }, 40_000);
});
