// A keep-alive HTTP connection opened BEFORE the tracer starts: its next
// request is traced from the first new byte, through the whole user-space
// path, with the right addresses and the right side at each end (the kernel
// adopts it with an unknown role; the agent works the role out).

import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ListeningSockets } from "../metadata/listening-sockets.js";
import { LocalAddresses } from "../metadata/local-addresses.js";
import { ProcessNames } from "../metadata/process-names.js";
import { lookupSocketEndpoints } from "../metadata/socket-endpoints.js";
import { Pipeline } from "../pipeline.js";
import type { RequestRecord } from "../records/request-record.js";
import { Role } from "./events.js";
import {
  EventLog,
  HTTP_SERVER_SCRIPT,
  isRoot,
  nextLine,
  requireRootInCi,
  startNode,
  waitFor,
} from "./fixtures/kernel-processes.js";
import { SocketTracer } from "./socket-tracer.js";

requireRootInCi("keepalive-adoption.kernel.test.ts");

/** One keep-alive socket; each stdin line is a path to GET on it; prints its local port first. */
const KEEPALIVE_CLIENT = `
const http = require("node:http");
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const get = (path) => new Promise((resolve, reject) => {
  const req = http.get({ host: "127.0.0.1", port: Number(process.argv[1]), path, agent }, (res) => {
    res.resume();
    res.on("end", () => resolve(req.socket.localPort));
  });
  req.on("error", reject);
});
get("/before").then((port) => console.log(port));
process.stdin.on("data", async (line) => console.log(await get(String(line).trim())));
`;

describe.skipIf(!isRoot)(
  "a keep-alive connection older than the tracer (root only; skipped otherwise outside CI)",
  () => {
    let server: Awaited<ReturnType<typeof startNode>>;
    let client: ChildProcess;
    let clientPid: number;
    let clientPort: number;
    let serverPort: number;
    let tracer: SocketTracer | undefined;
    const records: RequestRecord[] = [];
    const log = new EventLog();

    beforeAll(async () => {
      server = await startNode(HTTP_SERVER_SCRIPT);
      serverPort = Number(server.firstLine);
      const started = await startNode(KEEPALIVE_CLIENT, [String(serverPort)]);
      client = started.child;
      clientPid = started.pid;
      clientPort = Number(started.firstLine);
    });

    afterAll(() => {
      tracer?.close();
      client?.kill();
      server?.child.kill();
    });

    it("is traced from its next byte, with both ends' addresses and sides", async () => {
      const pipeline = new Pipeline({
        tracker: {
          maxConnections: 1024,
          maxStreamBytes: 64 * 1024,
          idleTimeoutNs: 60_000_000_000n,
          lookupEndpoints: lookupSocketEndpoints,
        },
        processNames: new ProcessNames(),
        listeners: new ListeningSockets({ minRefreshIntervalMs: 1000, maxListeners: 4096 }),
        localAddresses: new LocalAddresses(),
        onRecord: (record) => records.push(record),
      });
      tracer = SocketTracer.open({}, (events) => {
        log.add(events);
        pipeline.handleBatch(events);
      });

      client.stdin?.write("/after\n");
      // The same socket: the request went over the connection opened before the tracer.
      expect(Number(await nextLine(client))).toBe(clientPort);

      const adopted = await waitFor("the adopted conn-open", () =>
        log.openOf(clientPid, (e) => e.localPort === clientPort),
      );
      expect(adopted).toMatchObject({
        localAddr: "127.0.0.1",
        remoteAddr: "127.0.0.1",
        remotePort: serverPort,
        role: Role.Unknown, // no connect() was seen: the pipeline decides from the first bytes
      });

      const ours = () => records.filter((r) => r.server.port === serverPort);
      await expect.poll(() => ours().length, { timeout: 5000 }).toBe(2);
      const bySide = Object.fromEntries(ours().map((r) => [r.side, r]));
      for (const side of ["client", "server"] as const) {
        expect(bySide[side]).toMatchObject({
          target: "/after",
          status: 200,
          client: { ip: "127.0.0.1", port: clientPort },
          server: { ip: "127.0.0.1", port: serverPort },
        });
      }
      expect(bySide.client?.client.pid).toBe(clientPid);
      expect(bySide.server?.server.pid).toBe(server.pid);
      // Nothing from before the tracer: the first request is not invented.
      expect(records.some((r) => r.target === "/before")).toBe(false);
    });
  },
);
