// The socket tracer against the real kernel: real processes (curl, Node
// servers and clients in child processes) make real HTTP and TCP connections,
// and the events that come out of the ring buffer are checked byte for byte.

import type { ChildProcess } from "node:child_process";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Direction, KernelProtocol, Role, SourceSyscall } from "./events.js";
import {
  curlRequest,
  ECHO_SERVER_SCRIPT,
  EventLog,
  EXPECTED_RESPONSE,
  HTTP_SERVER_SCRIPT,
  isRoot,
  requireRootInCi,
  runToExit,
  startNode,
  waitFor,
} from "./fixtures/kernel-processes.js";
import { MAX_CAPTURE_BYTES } from "./layout.js";
import { SocketTracer } from "./socket-tracer.js";

requireRootInCi("socket-tracer.kernel.test.ts");

describe.skipIf(!isRoot)(
  "SocketTracer capturing HTTP on the real kernel (root only; skipped otherwise outside CI)",
  () => {
    const log = new EventLog();
    let tracer: SocketTracer;
    let httpServer: ChildProcess;
    let serverPid: number;
    let httpPort: number;

    beforeAll(async () => {
      tracer = SocketTracer.open({}, log.add);
      const started = await startNode(HTTP_SERVER_SCRIPT);
      httpServer = started.child;
      serverPid = started.pid;
      httpPort = Number(started.firstLine);
    });

    afterAll(() => {
      httpServer?.kill();
      tracer?.close();
    });

    it("captures curl talking to a Node HTTP server, from both ends, byte for byte", async () => {
      const curl = await runToExit("curl", [
        "-s",
        "-H",
        "User-Agent: periscope-test",
        `http://127.0.0.1:${httpPort}/hello`,
      ]);
      expect(curl.stdout).toBe("hello world");

      const client = await waitFor("curl's conn-open", () => log.openOf(curl.pid));
      expect(client).toMatchObject({
        family: "ipv4",
        localAddr: "127.0.0.1",
        remoteAddr: "127.0.0.1",
        remotePort: httpPort,
        role: Role.Client,
        source: SourceSyscall.Connect,
        comm: "curl",
      });
      const server = await waitFor("the server's conn-open", () =>
        log.openOf(serverPid, (e) => e.remotePort === client.localPort),
      );
      expect(server).toMatchObject({
        family: "ipv4",
        localAddr: "127.0.0.1",
        localPort: httpPort,
        remoteAddr: "127.0.0.1",
        role: Role.Server,
        source: SourceSyscall.Accept,
        comm: "node",
      });

      const clientClose = await waitFor("curl's conn-close", () => log.closeOf(client.conn));
      const serverClose = await waitFor("the server's conn-close", () => log.closeOf(server.conn));
      const request = curlRequest(`127.0.0.1:${httpPort}`, "/hello");

      expect(log.stream(client.conn, Direction.Egress)).toEqual({ text: request, complete: true });
      expect(log.stream(client.conn, Direction.Ingress)).toEqual({ text: EXPECTED_RESPONSE, complete: true });
      expect(log.stream(server.conn, Direction.Ingress)).toEqual({ text: request, complete: true });
      expect(log.stream(server.conn, Direction.Egress)).toEqual({ text: EXPECTED_RESPONSE, complete: true });
      expect(clientClose).toMatchObject({
        bytesSent: BigInt(request.length),
        bytesReceived: BigInt(EXPECTED_RESPONSE.length),
      });
      expect(serverClose).toMatchObject({
        bytesSent: BigInt(EXPECTED_RESPONSE.length),
        bytesReceived: BigInt(request.length),
      });

      const clientData = [
        ...log.dataOf(client.conn, Direction.Egress),
        ...log.dataOf(client.conn, Direction.Ingress),
      ];
      expect(clientData.every((e) => e.protocol === KernelProtocol.Http1 && e.role === Role.Client)).toBe(
        true,
      );
      expect(clientData.every((e) => e.pid === curl.pid)).toBe(true); // curl is single-threaded
      expect(log.dataOf(server.conn, Direction.Egress).every((e) => e.role === Role.Server)).toBe(true);
    });

    it("captures a Node HTTP client in another process", async () => {
      const client = await startNode(
        `require("node:http").get("http://127.0.0.1:" + process.argv[1] + "/from-node", (res) => {
        let body = ""; res.on("data", (d) => (body += d)); res.on("end", () => { console.log(body); process.exit(0); });
      });`,
        [String(httpPort)],
      );
      expect(client.firstLine).toBe("hello world");

      const open = await waitFor("the Node client's conn-open", () => log.openOf(client.pid));
      expect(open).toMatchObject({ role: Role.Client, remotePort: httpPort, comm: "node" });
      await waitFor("the Node client's whole response", () =>
        log.stream(open.conn, Direction.Ingress).text === EXPECTED_RESPONSE ? true : undefined,
      );
      const sent = log.stream(open.conn, Direction.Egress);
      expect(sent.complete).toBe(true);
      expect(sent.text).toMatch(/^GET \/from-node HTTP\/1\.1\r\n[\s\S]*\r\n\r\n$/);
    });

    it("captures IPv6 connections with their addresses", async () => {
      const v6Server = await startNode(HTTP_SERVER_SCRIPT, ["::1"]);
      try {
        const curl = await runToExit("curl", [
          "-s",
          "-g",
          "-H",
          "User-Agent: periscope-test",
          `http://[::1]:${v6Server.firstLine}/v6`,
        ]);
        expect(curl.stdout).toBe("hello world");
        const client = await waitFor("curl's IPv6 conn-open", () => log.openOf(curl.pid));
        expect(client).toMatchObject({
          family: "ipv6",
          localAddr: "::1",
          remoteAddr: "::1",
          remotePort: Number(v6Server.firstLine),
          role: Role.Client,
        });
        await waitFor("curl's IPv6 conn-close", () => log.closeOf(client.conn));
        expect(log.stream(client.conn, Direction.Egress).text).toBe(
          curlRequest(`[::1]:${v6Server.firstLine}`, "/v6"),
        );
      } finally {
        v6Server.child.kill();
      }
    });

    it("never traces the process that opened the tracer", async () => {
      const localPort = await new Promise<number>((resolve, reject) => {
        const req = http.get(`http://127.0.0.1:${httpPort}/from-the-agent`, { agent: false }, (res) => {
          res.resume();
          res.on("end", () => resolve(req.socket?.localPort ?? -1));
        });
        req.on("error", reject);
      });
      // The server's side of the same connection is traced, so events did flow...
      const server = await waitFor("the server's accept of our connection", () =>
        log.openOf(serverPid, (e) => e.remotePort === localPort),
      );
      await log.firstData(server.conn, Direction.Ingress);
      // ...while nothing was reported for this process's own end.
      expect(log.events.filter((e) => e.conn.tgid === process.pid)).toEqual([]);
    });

    it("truncates captured payload to setCaptureBytes(n) while syscallLen stays the full size", async () => {
      tracer.setCaptureBytes(10);
      try {
        const curl = await runToExit("curl", [
          "-s",
          "-H",
          "User-Agent: periscope-test",
          `http://127.0.0.1:${httpPort}/capped`,
        ]);
        const client = await waitFor("curl's conn-open", () => log.openOf(curl.pid));
        const [sent] = await log.firstData(client.conn, Direction.Egress);
        const request = curlRequest(`127.0.0.1:${httpPort}`, "/capped");
        expect(sent?.syscallLen).toBe(request.length);
        expect(sent?.data.toString("latin1")).toBe(request.slice(0, 10));
      } finally {
        tracer.setCaptureBytes(4096);
      }
    });

    it("reports a non-HTTP connection's data by size only", async () => {
      const echo = await startNode(ECHO_SERVER_SCRIPT);
      try {
        const client = await startNode(
          `const s = require("node:net").connect(Number(process.argv[1]), "127.0.0.1", () => s.write("hello"));
         s.on("data", (d) => { console.log(String(d)); s.end(); });`,
          [echo.firstLine],
        );
        expect(client.firstLine).toBe("hello");
        const open = await waitFor("the raw TCP client's conn-open", () => log.openOf(client.pid));
        const [sent] = await log.firstData(open.conn, Direction.Egress);
        expect(sent).toMatchObject({ syscallLen: 5, protocol: KernelProtocol.Unknown, streamOffset: 0n });
        expect(sent?.data.length).toBe(0);

        const serverSide = await waitFor("the echo server's conn-open", () =>
          log.openOf(echo.pid, (e) => e.remotePort === open.localPort),
        );
        const received = await log.firstData(serverSide.conn, Direction.Ingress);
        expect(received.map((e) => [e.syscallLen, e.data.length])).toEqual([[5, 0]]);
      } finally {
        echo.child.kill();
      }
    });

    it("validates capture sizes before they reach the kernel", () => {
      expect(() => tracer.setCaptureBytes(-1)).toThrow(RangeError);
      expect(() => tracer.setCaptureBytes(MAX_CAPTURE_BYTES + 1)).toThrow(RangeError);
      expect(() => tracer.setCaptureBytes(1.5)).toThrow(RangeError);
    });

    it("says which step failed when the BPF object is missing or not an object", () => {
      expect(() => SocketTracer.open({ bpfObjectPath: "/nonexistent/socket_trace.bpf.o" }, () => {})).toThrow(
        "BPF object not found at /nonexistent/socket_trace.bpf.o (build it: make -C bpf; or set PERISCOPE_BPF_OBJECT)",
      );
      expect(() => SocketTracer.open({ bpfObjectPath: "/etc/hostname" }, () => {})).toThrow(
        /^open BPF object \/etc\/hostname: /,
      );
    });

    it("refuses calls after close() with a clear error", () => {
      const closed = SocketTracer.open({}, () => {});
      closed.close();
      closed.close(); // idempotent
      expect(() => closed.setCaptureBytes(100)).toThrow("socket tracer is closed");
      expect(() => closed.dropCounters()).toThrow("socket tracer is closed");
    });

    it("decodes every record the kernel sent (none malformed)", () => {
      // Drop counters are system-wide (every process is traced), so only the
      // decoder's own counters are certain here; backpressure.kernel.test.ts covers drops.
      const counters = tracer.decoderCounters();
      expect(counters.decoded).toBeGreaterThan(0);
      expect(counters).toMatchObject({ truncatedFrames: 0, badSize: 0, unknownType: 0, badField: 0 });
    });
  },
);
