// TLS plaintext on the real kernel: a Node HTTPS server (OpenSSL inside the
// node binary, memory BIOs) with a certificate made by openssl at test time,
// called by curl (the system libssl.so.3, socket BIO) and by a Node HTTPS
// client. The plaintext requests come out of the ordinary HTTP path as
// records with method and path, marked tls=true.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isRoot, nextLine, requireRootInCi } from "../capture/fixtures/kernel-processes.js";
import { type KernelCapture, startKernelCapture } from "../protocols/testing/kernel-capture.js";
import { TlsAttacher } from "./tls-attacher.js";

requireRootInCi("tls.kernel.test.ts");

const HTTPS_SERVER = `
const fs = require("node:fs");
const [key, cert] = [process.argv[1], process.argv[2]].map((p) => fs.readFileSync(p));
const server = require("node:https").createServer({ key, cert }, (req, res) => {
  req.resume();
  req.on("end", () => { res.writeHead(200, { "content-type": "text/plain" }); res.end("secret " + req.url); });
});
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
`;

const HTTPS_CLIENT = `
require("node:https").get({ host: "127.0.0.1", port: Number(process.argv[1]), path: process.argv[2],
  rejectUnauthorized: false, agent: false }, (res) => {
  let body = ""; res.on("data", (c) => body += c); res.on("end", () => { console.log(res.statusCode, body); });
});
`;

describe.skipIf(!isRoot)("TLS plaintext on the real kernel (root only; skipped otherwise outside CI)", () => {
  let capture: KernelCapture;
  let attacher: TlsAttacher;
  let dir: string;
  let server: ReturnType<typeof spawn>;
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "periscope-tls-"));
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    capture = startKernelCapture(undefined);
    server = spawn(process.execPath, ["-e", HTTPS_SERVER, join(dir, "key.pem"), join(dir, "cert.pem")], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    port = Number(await nextLine(server));
    // The server's node binary is mapped now; curl's libssl.so.3 is found by
    // the next scan once curl runs, as for any process starting after the agent.
    attacher = new TlsAttacher({ attach: (path) => capture.tracer.attachTls(path), scanIntervalMs: 60_000 });
    attacher.scan();
  }, 30_000);

  afterAll(() => {
    attacher?.stop();
    capture?.close();
    server?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("attaches to the node binary that runs the server", () => {
    expect(
      attacher.attached.some((target) => target.path.endsWith(`/${process.execPath.split("/").pop()}`)),
    ).toBe(true);
  });

  it("records curl's HTTPS request in plaintext from both ends, marked tls", async () => {
    // A process that starts after the agent and maps libssl.so.3 (openssl's
    // own client, kept open on stdin): the next scan finds the library in its
    // maps and attaches it once, for every process using that file — curl too.
    const opensslClient = spawn("openssl", ["s_client", "-quiet", "-connect", `127.0.0.1:${port}`], {
      stdio: ["pipe", "ignore", "ignore"],
    });
    try {
      await expect
        .poll(
          () => {
            attacher.scan();
            return attacher.attached.some((target) => /\/libssl\.so\.3$/.test(target.path));
          },
          { timeout: 5000 },
        )
        .toBe(true);
    } finally {
      opensslClient.kill();
    }
    const out = execFileSync("curl", ["-sk", "--http1.1", `https://127.0.0.1:${port}/tls/curl?x=1`], {
      encoding: "utf8",
    });
    expect(out).toBe("secret /tls/curl?x=1");
    const ours = () => capture.records.filter((r) => r.target === "/tls/curl?x=1");
    await expect.poll(() => ours().length, { timeout: 5000 }).toBe(2);
    for (const record of ours()) {
      expect(record.operation).toBe("GET");
      expect(record.status).toBe(200);
      expect(record.attributes.tls).toBe("true");
      expect(record.server.port).toBe(port);
    }
    expect(
      ours()
        .map((r) => r.side)
        .sort(),
    ).toEqual(["client", "server"]);
  });

  it("records Python's HTTPS request (SSL_write_ex/SSL_read_ex), attached as the process starts, marked tls", async () => {
    // CPython's ssl module calls the _ex variants. The process loads its
    // libssl, then waits: a scan now finds whichever libssl it mapped.
    const script = [
      "import ssl, sys, urllib.request",
      "ctx = ssl._create_unverified_context()",
      "print('ready', flush=True)",
      "sys.stdin.readline()",
      "print(urllib.request.urlopen(f'https://127.0.0.1:{sys.argv[1]}/tls/python', context=ctx).read().decode(), flush=True)",
    ].join("\n");
    const python = spawn("python3", ["-c", script, String(port)], { stdio: ["pipe", "pipe", "inherit"] });
    let output = "";
    python.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    await expect.poll(() => output, { timeout: 5000 }).toBe("ready\n");
    attacher.scan();
    python.stdin?.write("\n");
    await expect.poll(() => output, { timeout: 5000 }).toBe("ready\nsecret /tls/python\n");
    const ours = () => capture.records.filter((r) => r.target === "/tls/python");
    await expect.poll(() => ours().length, { timeout: 5000 }).toBe(2);
    expect(
      ours().every((r) => r.operation === "GET" && r.status === 200 && r.attributes.tls === "true"),
    ).toBe(true);
    expect(ours().find((r) => r.side === "client")?.attributes["http.user_agent"]).toMatch(/^Python-urllib/);
  });

  it("keeps concurrent Node HTTPS connections apart (memory BIOs on one thread)", async () => {
    // 20 connections at once through one client event loop and one server
    // event loop: each plaintext stream must land on its own socket, or the
    // HTTP parser would pair requests with other connections' responses.
    const script = `
const https = require("node:https");
const port = Number(process.argv[1]);
const get = (i) => new Promise((resolve, reject) => {
  https.get({ host: "127.0.0.1", port, path: "/tls/many/" + "x".repeat(i), rejectUnauthorized: false, agent: false },
    (res) => { let b = ""; res.on("data", (c) => b += c); res.on("end", () => resolve(b)); }).on("error", reject);
});
Promise.all(Array.from({ length: 20 }, (_, i) => get(i))).then((bodies) => console.log(bodies.length));
`;
    const client = spawn(process.execPath, ["-e", script, String(port)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    expect(await nextLine(client)).toBe("20");
    const ours = () => capture.records.filter((r) => r.target.startsWith("/tls/many/"));
    await expect.poll(() => ours().length, { timeout: 10_000 }).toBe(40);
    expect(ours().every((r) => r.attributes.tls === "true" && r.status === 200)).toBe(true);
    // The body is "secret " + the path and every header has the same length
    // (content-length has two digits throughout): a response paired with its
    // own request is exactly its path's length plus a constant.
    for (const side of ["client", "server"]) {
      const overhead = new Set(
        ours()
          .filter((r) => r.side === side)
          .map((r) => Number(r.responseBytes) - r.target.length),
      );
      expect(overhead.size).toBe(1);
    }
    const paths = (side: string) =>
      ours()
        .filter((r) => r.side === side)
        .map((r) => r.target)
        .sort();
    const expected = Array.from({ length: 20 }, (_, i) => `/tls/many/${"x".repeat(i)}`).sort();
    expect(paths("client")).toEqual(expected);
    expect(paths("server")).toEqual(expected);
  });

  it("records HTTP/2 over TLS (ALPN h2: curl to a Node http2 secure server) from its plaintext frames", async () => {
    const h2Script = `
const fs = require("node:fs");
const server = require("node:http2").createSecureServer(
  { key: fs.readFileSync(process.argv[1]), cert: fs.readFileSync(process.argv[2]) },
  (req, res) => { res.end("h2 " + req.url); });
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
`;
    const h2 = spawn(process.execPath, ["-e", h2Script, join(dir, "key.pem"), join(dir, "cert.pem")], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const h2Port = Number(await nextLine(h2));
      const out = execFileSync("curl", ["-sk", "--http2", `https://127.0.0.1:${h2Port}/tls/h2`], {
        encoding: "utf8",
      });
      expect(out).toBe("h2 /tls/h2");
      const ours = () => capture.records.filter((r) => r.target === "/tls/h2");
      await expect.poll(() => ours().length, { timeout: 5000 }).toBe(2);
      expect(
        ours().every((r) => r.protocol === "http2" && r.operation === "GET" && r.attributes.tls === "true"),
      ).toBe(true);
    } finally {
      h2.kill();
    }
  });

  it("records a Node HTTPS client's request in plaintext, marked tls", async () => {
    const client = spawn(process.execPath, ["-e", HTTPS_CLIENT, String(port), "/tls/node"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    expect(await nextLine(client)).toBe("200 secret /tls/node");
    const ours = () => capture.records.filter((r) => r.target === "/tls/node");
    await expect.poll(() => ours().length, { timeout: 5000 }).toBe(2);
    expect(ours().every((r) => r.operation === "GET" && r.attributes.tls === "true")).toBe(true);
  });
});
