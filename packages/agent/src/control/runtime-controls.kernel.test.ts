// Each run-time control changed while traffic flows, on the real kernel:
// the next connections and syscalls follow the new config, with no reload.

import { mkdirSync, rmdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { Direction } from "../capture/events.js";
import {
  curlRequest,
  HTTP_SERVER_SCRIPT,
  isRoot,
  KEEPALIVE_CLIENT_SCRIPT,
  nextLine,
  requireRootInCi,
  runToExit,
  startNode,
  waitFor,
} from "../capture/fixtures/kernel-processes.js";
import { traceWithServer } from "../capture/fixtures/traced-server.js";
import { cgroup2MountPoint } from "./cgroup-ids.js";
import { defaultRuntimeConfig, parseRuntimeConfig } from "./runtime-config.js";
import { RuntimeControls } from "./runtime-controls.js";

requireRootInCi("runtime-controls.kernel.test.ts");

/** Opens argv[2] connections one after another (no keep-alive), then prints "done". */
const MANY_CONNECTIONS = `
const http = require("node:http");
(async () => {
  for (let i = 0; i < Number(process.argv[2]); i++) {
    await new Promise((resolve, reject) =>
      http.get({ host: "127.0.0.1", port: Number(process.argv[1]), path: "/n", agent: false }, (res) => {
        res.resume();
        res.on("end", resolve);
      }).on("error", reject));
  }
  console.log("done");
})();
`;

describe.skipIf(!isRoot)(
  "run-time controls on the real kernel (root only; skipped otherwise outside CI)",
  () => {
    const traced = traceWithServer(HTTP_SERVER_SCRIPT);
    const { log } = traced;
    let controls: RuntimeControls;
    let port: number;

    const curl = (path: string) =>
      runToExit("curl", ["-s", "-H", "User-Agent: periscope-test", `http://127.0.0.1:${port}${path}`]);
    const dataOfPid = (pid: number) => log.events.filter((e) => e.kind === "data" && e.conn.tgid === pid);

    beforeAll(() => {
      controls = new RuntimeControls(traced.tracer);
      port = Number(traced.server.firstLine);
    });

    afterEach(async () => {
      await controls.apply(defaultRuntimeConfig());
    });

    it("protocol off: a connection of that protocol sends no data; back on: it does", async () => {
      await controls.apply(parseRuntimeConfig({ protocols: { http: false } }));
      const off = await curl("/off");
      expect(off.stdout).toBe("hello world");
      const offOpen = await waitFor("curl's conn-open", () => log.openOf(off.pid));
      await waitFor("curl's conn-close", () => log.closeOf(offOpen.conn));
      expect(dataOfPid(off.pid)).toEqual([]);

      await controls.apply(parseRuntimeConfig({ protocols: { http: true } }));
      const on = await curl("/on");
      const onOpen = await waitFor("curl's conn-open", () => log.openOf(on.pid));
      await waitFor("curl's conn-close", () => log.closeOf(onOpen.conn));
      expect(log.stream(onOpen.conn, Direction.Egress).text).toBe(curlRequest(`127.0.0.1:${port}`, "/on"));
    });

    it("cap per syscall: curl's sendto is cut to 10 bytes while the server's read keeps the whole request", async () => {
      const { version } = await controls.apply(
        parseRuntimeConfig({ captureBytes: { perSyscall: { sendto: 10 } } }),
      );
      expect(controls.current().version).toBe(version);
      const run = await curl("/capped");
      const request = curlRequest(`127.0.0.1:${port}`, "/capped");
      const client = await waitFor("curl's conn-open", () => log.openOf(run.pid));
      const [sent] = await log.firstData(client.conn, Direction.Egress);
      expect(sent).toMatchObject({ syscallLen: request.length });
      expect(sent?.data.toString("latin1")).toBe(request.slice(0, 10));
      const serverSide = await waitFor("the server's conn-open", () =>
        log.openOf(traced.server.pid, (e) => e.remotePort === client.localPort),
      );
      await waitFor("the server's whole request", () =>
        log.stream(serverSide.conn, Direction.Ingress).text === request ? true : undefined,
      );
    });

    it("pid exclude: the excluded process vanishes, its peer still shows; removed: it is back", async () => {
      const client = await startNode(KEEPALIVE_CLIENT_SCRIPT, [String(port)]);
      try {
        const request = async (path: string) => {
          client.child.stdin?.write(`${path}\n`);
          expect(await nextLine(client.child)).toBe("200");
        };
        await request("/first");
        const open = await waitFor("the client's conn-open", () => log.openOf(client.pid));
        // Both ways: the client's read of the first response must be in before
        // the count below, or it lands after it and looks like a leak.
        await waitFor("the first request's bytes and its response", () =>
          log.dataOf(open.conn, Direction.Egress).length > 0 &&
          log.dataOf(open.conn, Direction.Ingress).length > 0
            ? true
            : undefined,
        );

        await controls.apply(parseRuntimeConfig({ pids: { exclude: [client.pid] } }));
        const before = dataOfPid(client.pid).length;
        await request("/hidden");
        const serverSide = await waitFor("the server's side", () =>
          log.openOf(traced.server.pid, (e) => e.remotePort === open.localPort),
        );
        await waitFor("the server reading /hidden", () =>
          log.stream(serverSide.conn, Direction.Ingress).text.includes("GET /hidden") ? true : undefined,
        );
        expect(dataOfPid(client.pid).length).toBe(before);

        await controls.apply(parseRuntimeConfig({ pids: { exclude: [] } }));
        await request("/visible");
        await waitFor("the client's bytes again", () =>
          dataOfPid(client.pid).length > before ? true : undefined,
        );
      } finally {
        client.child.kill();
      }
    });

    it("cgroup include: only processes in that cgroup are traced", async () => {
      const mount = cgroup2MountPoint();
      if (mount === undefined)
        throw new Error("no cgroup2 mount on this machine: cgroup filters cannot work here");
      const name = `periscope-test-${process.pid}`;
      const dir = join(mount, name);
      mkdirSync(dir);
      try {
        await controls.apply(parseRuntimeConfig({ cgroups: { include: [`/${name}`] } }));
        // A shell moves itself into the cgroup, then becomes curl.
        const inside = await runToExit("sh", [
          "-c",
          `echo $$ > ${dir}/cgroup.procs && exec curl -s http://127.0.0.1:${port}/inside`,
        ]);
        const outside = await curl("/outside");
        expect([inside.stdout, outside.stdout]).toEqual(["hello world", "hello world"]);
        const insideOpen = await waitFor("the cgroup's curl conn-open", () => log.openOf(inside.pid));
        await waitFor("its conn-close", () => log.closeOf(insideOpen.conn));
        expect(log.stream(insideOpen.conn, Direction.Egress).text).toMatch(/^GET \/inside /);
        // Neither curl outside the cgroup nor the server (also outside) was traced.
        expect(log.events.filter((e) => e.conn.tgid === outside.pid)).toEqual([]);
        expect(log.opens(traced.server.pid, (e) => e.remotePort === insideOpen.localPort)).toEqual([]);
      } finally {
        await controls.apply(defaultRuntimeConfig());
        rmdirSync(dir);
      }
    });

    it("sampling: keeps about 1 in N connections, each decided once", async () => {
      const total = 200;
      const sampledBefore = traced.tracer.dropCounters().sampledOut;
      await controls.apply(parseRuntimeConfig({ sampling: { keepOneIn: 4 } }));
      const client = await startNode(MANY_CONNECTIONS, [String(port), String(total)]);
      try {
        expect(client.firstLine).toBe("done");
        await new Promise((resolve) => setTimeout(resolve, 200)); // the last batches drain every 20 ms
        const kept = log.opens(client.pid);
        // Binomial(200, 1/4): mean 50, sd 6.1; 20..85 is beyond 5 sd either way.
        expect(kept.length).toBeGreaterThanOrEqual(20);
        expect(kept.length).toBeLessThanOrEqual(85);
        // A kept connection is whole: its request and its close are there.
        for (const open of kept) {
          await waitFor("a kept connection's close", () => log.closeOf(open.conn));
          expect(log.stream(open.conn, Direction.Egress).text).toMatch(/^GET \/n HTTP\/1.1\r\n/);
        }
        // Sampled-out connections leave no trace at all, only the counter.
        const keys = new Set(kept.map((o) => o.conn.generation));
        expect(log.events.filter((e) => e.conn.tgid === client.pid && !keys.has(e.conn.generation))).toEqual(
          [],
        );
        expect(traced.tracer.dropCounters().sampledOut - sampledBefore).toBeGreaterThanOrEqual(
          BigInt(total - kept.length),
        );
      } finally {
        client.child.kill();
      }
    });
  },
);
