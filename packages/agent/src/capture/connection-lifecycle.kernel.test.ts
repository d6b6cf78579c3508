// Connection identity and lifetime on the real kernel: fd reuse, sockets
// older than the tracer, processes that exit without close(), and a tracer
// that must not keep its process alive.

import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Direction, KernelProtocol, Role, SourceSyscall } from "./events.js";
import {
  ECHO_SERVER_SCRIPT,
  EventLog,
  isRoot,
  nextLine,
  requireRootInCi,
  startNode,
  waitFor,
} from "./fixtures/kernel-processes.js";
import { traceWithServer } from "./fixtures/traced-server.js";
import { SocketTracer } from "./socket-tracer.js";

requireRootInCi("connection-lifecycle.kernel.test.ts");

describe.skipIf(!isRoot)(
  "connection lifecycle on the real kernel (root only; skipped otherwise outside CI)",
  () => {
    const traced = traceWithServer(ECHO_SERVER_SCRIPT);
    const { log } = traced;

    it("gives a reused fd a new generation, so two connections never merge", async () => {
      const client = await startNode(
        `const net = require("node:net");
       const once = (then) => { const s = net.connect(Number(process.argv[1]), "127.0.0.1", () => s.end("x")); s.resume(); s.on("close", then); };
       once(() => setTimeout(() => once(() => console.log("done")), 20));`,
        [traced.server.firstLine],
      );
      expect(client.firstLine).toBe("done");
      const opens = await waitFor("two conn-opens", () => {
        const found = log.opens(client.pid);
        return found.length === 2 ? found : undefined;
      });
      expect(opens[0]?.conn.fd).toBe(opens[1]?.conn.fd);
      expect(opens[0]?.conn.generation).not.toBe(opens[1]?.conn.generation);
      for (const open of opens) {
        const [sent] = await log.firstData(open.conn, Direction.Egress);
        expect(sent).toMatchObject({ streamOffset: 0n, syscallLen: 1 });
      }
    });

    it("closes the connections of a process killed without close()", async () => {
      const client = await startNode(
        `const s = require("node:net").connect(Number(process.argv[1]), "127.0.0.1", () => s.write("hello"));
       s.on("data", () => console.log("echoed"));`,
        [traced.server.firstLine],
      );
      const open = await waitFor("the client's conn-open", () => log.openOf(client.pid));
      client.child.kill("SIGKILL");
      const closed = await waitFor("the client's conn-close", () => log.closeOf(open.conn));
      expect(closed).toMatchObject({ bytesSent: 5n, bytesReceived: 5n });
    });

    it("adopts a TCP socket opened before the tracer, on its first data, with an unknown role", async () => {
      const client = await startNode(
        `const s = require("node:net").connect(Number(process.argv[1]), "127.0.0.1", () => console.log(s.localPort));
       process.stdin.once("data", (line) => s.write(line));
       s.on("data", (d) => console.log(JSON.stringify(String(d))));`,
        [traced.server.firstLine],
      );
      const clientPort = Number(client.firstLine);
      const lateLog = new EventLog();
      const late = SocketTracer.open({}, lateLog.add);
      try {
        const request = "GET /late HTTP/1.1\r\nHost: x\r\n\r\n";
        client.child.stdin?.write(request);
        expect(JSON.parse(await nextLine(client.child))).toBe(request);

        const adopted = await waitFor("the adopted conn-open", () => lateLog.openOf(client.pid));
        expect(adopted).toMatchObject({
          localPort: clientPort,
          remotePort: Number(traced.server.firstLine),
          role: Role.Unknown,
          source: SourceSyscall.Write,
        });
        const [sent] = await lateLog.firstData(adopted.conn, Direction.Egress);
        expect(sent).toMatchObject({ streamOffset: 0n, protocol: KernelProtocol.Http1, role: Role.Unknown });
        expect(sent?.data.toString("latin1")).toBe(request);
      } finally {
        late.close();
        client.child.kill();
      }
    });

    it("lets its process exit when unref()ed, without close()", async () => {
      const tracerModule = fileURLToPath(new URL("./socket-tracer.ts", import.meta.url));
      const child = await startNode(
        `import(${JSON.stringify(tracerModule)}).then(({ SocketTracer }) => {
         SocketTracer.open({}, () => {}).unref();
         console.log("open");
       });`,
        [],
        ["--import", "tsx"],
      );
      expect(child.firstLine).toBe("open");
      const exitCode = await new Promise<number | null>((resolve) => {
        if (child.child.exitCode !== null) resolve(child.child.exitCode);
        else child.child.once("exit", (code) => resolve(code));
      });
      expect(exitCode).toBe(0);
    });
  },
);
