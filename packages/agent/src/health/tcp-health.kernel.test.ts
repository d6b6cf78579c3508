// TCP health on the real kernel: a refused connect, a reset from an
// SO_LINGER 0 close, and retransmits caused by nftables dropping packets on
// a veth pair into another network namespace — each counted on the right
// connection, with its process and both endpoints.
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  isRoot,
  nextLine,
  requireRootInCi,
  runToExit,
  startNode,
  waitFor,
} from "../capture/fixtures/kernel-processes.js";
import type { ConnectionInterval } from "./interval-tracker.js";
import { TcpHealthMonitor } from "./tcp-health-monitor.js";
import { createNetnsPair, type NetnsPair } from "./testing/netns-pair.js";

requireRootInCi("tcp-health.kernel.test.ts");

/** Listens on argv[1]:argv[2] (0 = any port), prints the port, counts what it reads. */
const SINK_SERVER = `
const server = require("node:net").createServer((socket) => {
  let total = 0;
  socket.on("data", (chunk) => { total += chunk.length; });
  socket.on("end", () => socket.end(String(total)));
  socket.on("error", () => {});
});
server.listen(Number(process.argv[2] || 0), process.argv[1], () => console.log(server.address().port));
`;

/** Connects to argv[1]:argv[2], sends argv[3] bytes, prints what the server counted. */
const SENDING_CLIENT = `
const socket = require("node:net").connect(Number(process.argv[2]), process.argv[1], () => {
  socket.end(Buffer.alloc(Number(process.argv[3]), 7));
});
let reply = "";
socket.on("data", (chunk) => { reply += chunk; });
socket.on("end", () => { console.log(reply); process.exit(0); });
`;

/** Connects, sends a little, then closes with SO_LINGER 0 (a reset). */
const RESETTING_CLIENT = `
const socket = require("node:net").connect(Number(process.argv[2]), process.argv[1], () => {
  socket.write("hello", () => setTimeout(() => { socket.resetAndDestroy(); console.log("reset"); }, 100));
});
`;

describe.skipIf(!isRoot)("TCP health on the real kernel (root only; skipped otherwise outside CI)", () => {
  let monitor: TcpHealthMonitor;
  const seen: ConnectionInterval[] = [];
  const collect = () => seen.push(...monitor.collect());
  const find = (predicate: (i: ConnectionInterval) => boolean) => {
    collect();
    return seen.find(predicate);
  };
  const sum = (predicate: (i: ConnectionInterval) => boolean, field: (i: ConnectionInterval) => number) =>
    seen.filter(predicate).reduce((total, i) => total + field(i), 0);

  beforeAll(() => {
    monitor = TcpHealthMonitor.open({ excludeTgid: process.pid, maxConnections: 4096 });
  });
  afterAll(() => monitor?.close());

  it("counts a refused connect as a failed connect with a reset received, owned by curl", async () => {
    // Nothing listens on port 1 of the loopback: the kernel answers the SYN with a reset.
    const curl = await runToExit("sh", ["-c", "curl -s -m 2 http://127.0.0.1:1/; echo $?"]);
    const refused = await waitFor("the refused connection", () =>
      find((i) => i.snapshot.comm === "curl" && i.snapshot.remotePort === 1 && i.connectFailed),
    );
    expect(refused.snapshot.remoteIp).toBe("127.0.0.1");
    expect(refused.snapshot.role).toBe(1);
    expect(refused.resetsReceived).toBe(1);
    expect(refused.connectNs).toBe(0n);
    expect(refused.snapshot.state).toBe("CLOSE");
    expect(curl.stdout.trim()).toBe("7"); // curl: couldn't connect
  });

  it("reports IPv6 endpoints as the kernel holds them", async () => {
    await runToExit("sh", ["-c", "curl -s -m 2 'http://[::1]:1/'; true"]);
    const refused = await waitFor("the refused IPv6 connect", () =>
      find((i) => i.snapshot.comm === "curl" && i.snapshot.remotePort === 1 && i.snapshot.family === 10),
    );
    expect(refused.snapshot.remoteIp).toBe("::1");
    expect(refused.connectFailed).toBe(true);
  });

  it("counts an SO_LINGER 0 close as a reset sent by the client and received by the server", async () => {
    const server = await startNode(SINK_SERVER, ["127.0.0.1"]);
    try {
      const port = Number(server.firstLine);
      const client = await startNode(RESETTING_CLIENT, ["127.0.0.1", String(port)]);
      const clientSide = await waitFor("the client's reset", () =>
        find((i) => i.snapshot.tgid === client.pid && i.snapshot.remotePort === port && i.resetsSent > 0),
      );
      expect(clientSide.snapshot.comm).toBe("node");
      expect(clientSide.snapshot.localIp).toBe("127.0.0.1");
      const serverSide = await waitFor("the server's received reset", () =>
        find((i) => i.snapshot.tgid === server.pid && i.snapshot.localPort === port && i.resetsReceived > 0),
      );
      // The server learnt its process at accept(); its remote end is the client's port.
      expect(serverSide.snapshot.role).toBe(2);
      expect(serverSide.snapshot.remotePort).toBe(clientSide.snapshot.localPort);
      expect(
        sum(
          (i) => i.snapshot.tgid === server.pid,
          (i) => Number(i.bytesReceived),
        ),
      ).toBe(5); // "hello"
      // The handshake took a measurable time on the client side.
      expect(
        sum(
          (i) => i.snapshot.tgid === client.pid,
          (i) => Number(i.connectNs),
        ),
      ).toBeGreaterThan(0);
      client.child.kill();
    } finally {
      server.child.kill();
    }
  });

  it("gives a connection older than the agent its process, from /proc", async () => {
    const server = await startNode(SINK_SERVER, ["127.0.0.1"]);
    // Connected before this second monitor loads; writes on each line of stdin.
    const client = await startNode(
      `const s = require("node:net").connect(Number(process.argv[2]), process.argv[1], () => console.log(s.localPort));
       process.stdin.on("data", (d) => s.write(d));`,
      ["127.0.0.1", server.firstLine],
    );
    const late = TcpHealthMonitor.open({ excludeTgid: process.pid, maxConnections: 1024 });
    try {
      const lateSeen: ConnectionInterval[] = [];
      client.child.stdin?.write("after the agent\n");
      const adopted = await waitFor("the adopted connection", () => {
        lateSeen.push(...late.collect());
        return lateSeen.find((i) => i.snapshot.localPort === Number(client.firstLine) && i.bytesSent > 0n);
      });
      expect(adopted.snapshot.role).toBe(0); // nobody saw it open
      expect(adopted.snapshot.tgid).toBe(client.pid);
      expect(adopted.snapshot.comm).toBe("node");
    } finally {
      late.close();
      client.child.kill();
      server.child.kill();
    }
  });

  describe("across a lossy veth pair", () => {
    let pair: NetnsPair;
    beforeAll(() => {
      pair = createNetnsPair(7);
    });
    afterAll(() => pair?.close());

    it("counts retransmits when nftables drops every fourth segment", async () => {
      const port = 9555;
      const server = spawn(
        pair.prefix[0] ?? "ip",
        [...pair.prefix.slice(1), process.execPath, "-e", SINK_SERVER, pair.peerIp, String(port)],
        {
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
      try {
        expect(Number(await nextLine(server))).toBe(port);
        pair.dropIncoming(port, 4);
        const bytes = 512 * 1024;
        const client = await startNode(SENDING_CLIENT, [pair.peerIp, String(port), String(bytes)]);
        // The server saw every byte despite the losses: TCP recovered them.
        expect(Number(client.firstLine)).toBe(bytes);
        const isClient = (i: ConnectionInterval) =>
          i.snapshot.tgid === client.pid && i.snapshot.remotePort === port;
        await waitFor("the client's closed connection", () => find((i) => isClient(i) && i.closed), 5000);
        expect(sum(isClient, (i) => i.retransmits)).toBeGreaterThan(0);
        // tcp_sock.bytes_acked advances over sequence space: the SYN and FIN count one each.
        const sent = sum(isClient, (i) => Number(i.bytesSent));
        expect(sent).toBeGreaterThanOrEqual(bytes);
        expect(sent).toBeLessThanOrEqual(bytes + 2);
        const first = seen.find(isClient);
        expect(first?.snapshot.remoteIp).toBe(pair.peerIp);
        expect(first?.snapshot.localIp).toBe(pair.hostIp);
        expect(seen.filter(isClient).some((i) => i.snapshot.srttUs > 0)).toBe(true);
      } finally {
        server.kill();
      }
    }, 30_000);
  });
});
