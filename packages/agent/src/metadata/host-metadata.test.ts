import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ListeningSockets } from "./listening-sockets.js";
import { parseProcNetTcp, TcpState } from "./proc-net-tcp.js";
import { ProcessNames } from "./process-names.js";
import { serviceNameOf } from "./service-name.js";
import { lookupSocketEndpoints } from "./socket-endpoints.js";

// These tests read this host's real /proc while real sockets are open.

let server: net.Server;
let serverPort: number;
let client: net.Socket;
let accepted: net.Socket;

beforeAll(async () => {
  const acceptedPromise = new Promise<net.Socket>((resolve) => {
    server = net.createServer(resolve);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  serverPort = (server.address() as net.AddressInfo).port;
  client = net.connect(serverPort, "127.0.0.1");
  await new Promise((resolve) => client.once("connect", resolve));
  accepted = await acceptedPromise;
});

afterAll(() => {
  client.destroy();
  accepted.destroy();
  server.close();
});

describe("host metadata from /proc", () => {
  it("finds the process listening on a port from /proc/net/tcp and socket inodes", () => {
    const listeners = new ListeningSockets({ minRefreshIntervalMs: 5_000, maxListeners: 4096 });
    expect(listeners.ownerOf({ ip: "127.0.0.1", port: serverPort })).toBe(process.pid);
    // A port nobody listens on: refreshing again within the interval is refused.
    expect(listeners.ownerOf({ ip: "127.0.0.1", port: 1 })).toBeUndefined();
    expect(listeners.refreshes).toBe(1);
  });

  it("reads a socket's endpoints from its fd when its open event was never seen", () => {
    const fd = (client as unknown as { _handle: { fd: number } })._handle.fd;
    expect(lookupSocketEndpoints(process.pid, fd)).toEqual({
      local: { ip: "127.0.0.1", port: client.localPort },
      remote: { ip: "127.0.0.1", port: serverPort },
    });
  });

  it("parses IPv4 and IPv6 rows as the kernel prints them", () => {
    const text = [
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
      "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0",
      "   1: 00000000000000000000000001000000:0050 00000000000000000000000000000000:0000 0A 0:0 00:0 0 0 0 77 1",
      "   2: 0000000000000000FFFF00000100007F:0051 0000000000000000FFFF00000100007F:C350 01 0:0 00:0 0 0 0 78 1",
      "garbage line",
    ].join("\n");
    expect(parseProcNetTcp(text)).toEqual([
      {
        local: { ip: "127.0.0.1", port: 8080 },
        remote: { ip: "0.0.0.0", port: 0 },
        state: TcpState.Listen,
        inode: "4242",
      },
      { local: { ip: "::1", port: 80 }, remote: { ip: "::", port: 0 }, state: TcpState.Listen, inode: "77" },
      {
        local: { ip: "127.0.0.1", port: 81 },
        remote: { ip: "127.0.0.1", port: 50000 },
        state: TcpState.Established,
        inode: "78",
      },
    ]);
  });
});

describe("ProcessNames", () => {
  let child: ChildProcess;

  beforeAll(async () => {
    // The demo services name themselves with process.title; verify that reaches comm.
    child = spawn(process.execPath, [
      "-e",
      'process.title = "catalog-svc"; console.log("ready"); setInterval(() => {}, 1000);',
    ]);
    await new Promise((resolve) => child.stdout?.once("data", resolve));
  });

  afterAll(() => {
    child.kill();
  });

  it("names a process by the title it gave itself", () => {
    const names = new ProcessNames();
    expect(names.get(child.pid ?? 0)).toBe("catalog-svc");
  });

  it("caches names until forgotten, and falls back to the event's comm for gone processes", () => {
    const names = new ProcessNames();
    const own = serviceNameOf(
      readFileSync("/proc/self/comm", "utf8").trimEnd(),
      readFileSync("/proc/self/cmdline", "utf8").split("\0").filter(Boolean),
    );
    expect(names.get(process.pid)).toBe(own);
    expect(names.size).toBe(1);
    names.forget(process.pid);
    expect(names.size).toBe(0);
    expect(names.get(2 ** 22 + 1, "from-event")).toBe("from-event");
  });
});
