// The socket tracer against the real kernel: real processes (curl, Node
// servers and clients in child processes) make real connections, and the
// events that come out of the ring buffer are checked byte for byte.

import { type ChildProcess, execFile, spawn } from "node:child_process";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ConnCloseEvent,
  type ConnId,
  type ConnOpenEvent,
  type DataEvent,
  Direction,
  type KernelEvent,
  KernelProtocol,
  Role,
  SourceSyscall,
} from "./events.js";
import { MAX_CAPTURE_BYTES } from "./layout.js";
import { SocketTracer } from "./socket-tracer.js";

const isRoot = process.getuid?.() === 0;
if (!isRoot && process.env.CI === "true") {
  throw new Error(
    "socket-tracer.test.ts loads BPF programs and must run as root in CI; it will not skip there",
  );
}

const HTTP_SERVER_SCRIPT = `
const server = require("node:http").createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.sendDate = false;
    res.writeHead(200, { "Content-Type": "text/plain" });
    res.end("hello world");
  });
});
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
`;

const ECHO_SERVER_SCRIPT = `
const server = require("node:net").createServer((socket) => socket.pipe(socket));
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
`;

// Node writes this response with writev (head, chunk size, body, trailer).
const EXPECTED_RESPONSE =
  "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n" +
  "Transfer-Encoding: chunked\r\n\r\nb\r\nhello world\r\n0\r\n\r\n";

function curlRequest(port: number, path: string): string {
  return `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: */*\r\nUser-Agent: periscope-test\r\n\r\n`;
}

/** Starts `node -e script` and resolves with the child and the first line it prints. */
async function startNode(
  script: string,
  args: string[] = [],
): Promise<{ child: ChildProcess; firstLine: string }> {
  const child = spawn(process.execPath, ["-e", script, ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const firstLine = await new Promise<string>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`node child exited early with ${code}`)));
    child.stdout?.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
  });
  return { child, firstLine };
}

/** Runs a process to completion; resolves with its pid and stdout. */
function runToExit(command: string, args: string[]): Promise<{ pid: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { timeout: 5000 }, (error, stdout) => {
      if (error) reject(error);
      else resolve({ pid: child.pid ?? -1, stdout });
    });
  });
}

const events: KernelEvent[] = [];

async function waitFor<T>(what: string, find: () => T | undefined, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sameConn = (a: ConnId, b: ConnId) =>
  a.tgid === b.tgid && a.fd === b.fd && a.generation === b.generation;

function openOf(
  tgid: number,
  predicate: (e: ConnOpenEvent) => boolean = () => true,
): ConnOpenEvent | undefined {
  return events.find((e): e is ConnOpenEvent => e.kind === "open" && e.conn.tgid === tgid && predicate(e));
}

function closeOf(conn: ConnId): ConnCloseEvent | undefined {
  return events.find((e): e is ConnCloseEvent => e.kind === "close" && sameConn(e.conn, conn));
}

function dataOf(conn: ConnId, direction: Direction): DataEvent[] {
  return events.filter(
    (e): e is DataEvent => e.kind === "data" && sameConn(e.conn, conn) && e.direction === direction,
  );
}

/** One direction's bytes in stream order; fails on a gap or a capped chunk. */
function reassemble(conn: ConnId, direction: Direction): string {
  const chunks = dataOf(conn, direction).sort((a, b) => Number(a.streamOffset - b.streamOffset));
  let expectedOffset = 0n;
  for (const chunk of chunks) {
    expect(chunk.streamOffset).toBe(expectedOffset);
    expect(chunk.data.length).toBe(chunk.syscallLen);
    expectedOffset += BigInt(chunk.syscallLen);
  }
  return Buffer.concat(chunks.map((c) => c.data)).toString("latin1");
}

describe.skipIf(!isRoot)("SocketTracer on the real kernel (root only; skipped otherwise outside CI)", () => {
  let tracer: SocketTracer;
  let httpServer: ChildProcess;
  let httpPort: number;

  beforeAll(async () => {
    tracer = SocketTracer.open({}, (batch) => events.push(...batch));
    const started = await startNode(HTTP_SERVER_SCRIPT);
    httpServer = started.child;
    httpPort = Number(started.firstLine);
  });

  afterAll(() => {
    httpServer?.kill();
    tracer?.close();
  });

  it("captures curl talking to a Node HTTP server, from both ends, byte for byte", async () => {
    const serverPid = httpServer.pid ?? -1;
    const curl = await runToExit("curl", [
      "-s",
      "-H",
      "User-Agent: periscope-test",
      `http://127.0.0.1:${httpPort}/hello`,
    ]);
    expect(curl.stdout).toBe("hello world");

    const client = await waitFor("curl's conn-open", () => openOf(curl.pid));
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
      openOf(serverPid, (e) => e.remotePort === client.localPort),
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

    const clientClose = await waitFor("curl's conn-close", () => closeOf(client.conn));
    const serverClose = await waitFor("the server's conn-close", () => closeOf(server.conn));
    const request = curlRequest(httpPort, "/hello");

    expect(reassemble(client.conn, Direction.Egress)).toBe(request);
    expect(reassemble(client.conn, Direction.Ingress)).toBe(EXPECTED_RESPONSE);
    expect(reassemble(server.conn, Direction.Ingress)).toBe(request);
    expect(reassemble(server.conn, Direction.Egress)).toBe(EXPECTED_RESPONSE);
    expect(clientClose).toMatchObject({
      bytesSent: BigInt(request.length),
      bytesReceived: BigInt(EXPECTED_RESPONSE.length),
    });
    expect(serverClose).toMatchObject({
      bytesSent: BigInt(EXPECTED_RESPONSE.length),
      bytesReceived: BigInt(request.length),
    });

    const clientData = [...dataOf(client.conn, Direction.Egress), ...dataOf(client.conn, Direction.Ingress)];
    expect(clientData.every((e) => e.protocol === KernelProtocol.Http1 && e.role === Role.Client)).toBe(true);
    expect(clientData.every((e) => e.pid === curl.pid)).toBe(true); // curl is single-threaded
    expect(dataOf(server.conn, Direction.Egress).every((e) => e.role === Role.Server)).toBe(true);
  });

  it("captures a Node HTTP client in another process", async () => {
    const { child, firstLine } = await startNode(
      `require("node:http").get("http://127.0.0.1:" + process.argv[1] + "/from-node", (res) => {
        let body = ""; res.on("data", (d) => (body += d)); res.on("end", () => { console.log(body); process.exit(0); });
      });`,
      [String(httpPort)],
    );
    expect(firstLine).toBe("hello world");
    const clientPid = child.pid ?? -1;

    const client = await waitFor("the Node client's conn-open", () => openOf(clientPid));
    expect(client).toMatchObject({ role: Role.Client, remotePort: httpPort, comm: "node" });
    await waitFor("the Node client's response bytes", () =>
      reassemble(client.conn, Direction.Ingress) === EXPECTED_RESPONSE ? true : undefined,
    );
    expect(reassemble(client.conn, Direction.Egress)).toMatch(
      /^GET \/from-node HTTP\/1\.1\r\n[\s\S]*\r\n\r\n$/,
    );
  });

  it("never traces the process that opened the tracer", async () => {
    const localPort = await new Promise<number>((resolve, reject) => {
      const req = http.get(`http://127.0.0.1:${httpPort}/from-the-agent`, { agent: false }, (res) => {
        res.resume();
        res.on("end", () => resolve(req.socket?.localPort ?? -1));
      });
      req.on("error", reject);
    });
    // The server's side of the same connection is traced, so the events did flow...
    const server = await waitFor("the server's accept of our connection", () =>
      openOf(httpServer.pid ?? -1, (e) => e.remotePort === localPort),
    );
    await waitFor("the request at the server", () =>
      dataOf(server.conn, Direction.Ingress).length > 0 ? true : undefined,
    );
    // ...while nothing was reported for this process's own end.
    expect(events.filter((e) => e.conn.tgid === process.pid)).toEqual([]);
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
      const client = await waitFor("curl's conn-open", () => openOf(curl.pid));
      const [sent] = await waitFor("curl's request event", () => {
        const chunks = dataOf(client.conn, Direction.Egress);
        return chunks.length > 0 ? chunks : undefined;
      });
      const request = curlRequest(httpPort, "/capped");
      expect(sent?.syscallLen).toBe(request.length);
      expect(sent?.data.toString("latin1")).toBe(request.slice(0, 10));
    } finally {
      tracer.setCaptureBytes(4096);
    }
  });

  it("reports a non-HTTP connection's data by size only", async () => {
    const echo = await startNode(ECHO_SERVER_SCRIPT);
    try {
      const { child, firstLine } = await startNode(
        `const s = require("node:net").connect(Number(process.argv[1]), "127.0.0.1", () => s.write("hello"));
         s.on("data", (d) => { console.log(String(d)); s.end(); });`,
        [echo.firstLine],
      );
      expect(firstLine).toBe("hello");
      const client = await waitFor("the raw TCP client's conn-open", () => openOf(child.pid ?? -1));
      const [sent] = await waitFor("the raw TCP client's write", () => {
        const chunks = dataOf(client.conn, Direction.Egress);
        return chunks.length > 0 ? chunks : undefined;
      });
      expect(sent).toMatchObject({ syscallLen: 5, protocol: KernelProtocol.Unknown, streamOffset: 0n });
      expect(sent?.data.length).toBe(0);
      const echoed = await waitFor("the echo server's read", () => {
        const server = openOf(echo.child.pid ?? -1, (e) => e.remotePort === client.localPort);
        const chunks = server ? dataOf(server.conn, Direction.Ingress) : [];
        return chunks.length > 0 ? chunks : undefined;
      });
      expect(echoed.map((e) => [e.syscallLen, e.data.length])).toEqual([[5, 0]]);
    } finally {
      echo.child.kill();
    }
  });

  it("validates capture sizes before they reach the kernel", () => {
    expect(() => tracer.setCaptureBytes(-1)).toThrow(RangeError);
    expect(() => tracer.setCaptureBytes(MAX_CAPTURE_BYTES + 1)).toThrow(RangeError);
    expect(() => tracer.setCaptureBytes(1.5)).toThrow(RangeError);
  });

  it("counts no drops and no malformed records under this light load", () => {
    expect(tracer.dropCounters()).toEqual({ ringbufFull: 0n, connMapFull: 0n, readFailed: 0n });
    expect(tracer.decoderCounters()).toMatchObject({
      truncatedFrames: 0,
      badSize: 0,
      unknownType: 0,
      badField: 0,
    });
  });
});
