// Every syscall family the tracer follows, on the real kernel: a C helper
// (fixtures/syscall-pair.c) sends payloads of many sizes with one family and
// receives them with the matching one, over TCP and UDP, IPv4 and IPv6. Each
// direction's events must rebuild exactly what was sent, up to the capture
// cap per syscall, with the bytes past the cap (and sendfile's, never copied)
// reported as gaps of known size.

import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileCProgram } from "./compile-c.js";
import {
  type ConnOpenEvent,
  type DataEvent,
  Direction,
  KernelProtocol,
  Role,
  SourceSyscall,
} from "./events.js";
import { EventLog, isRoot, requireRootInCi, waitFor } from "./fixtures/kernel-processes.js";
import { SocketTracer } from "./socket-tracer.js";

requireRootInCi("syscall-coverage.kernel.test.ts");

const CAP = 256;
const HELPER_SOURCE = fileURLToPath(new URL("./fixtures/syscall-pair.c", import.meta.url));

type Family = "read" | "send" | "sendto" | "readv" | "sendmsg" | "sendmmsg" | "sendfile";

/** Syscalls each family's sender and receiver make (send/recv are sendto/recvfrom on x86-64 and arm64). */
const SOURCES: Record<Family, { egress: SourceSyscall[]; ingress: SourceSyscall[] }> = {
  read: { egress: [SourceSyscall.Write], ingress: [SourceSyscall.Read] },
  send: { egress: [SourceSyscall.SendTo], ingress: [SourceSyscall.RecvFrom] },
  sendto: { egress: [SourceSyscall.SendTo], ingress: [SourceSyscall.RecvFrom] },
  readv: { egress: [SourceSyscall.WriteV], ingress: [SourceSyscall.ReadV] },
  sendmsg: { egress: [SourceSyscall.SendMsg], ingress: [SourceSyscall.RecvMsg] },
  sendmmsg: { egress: [SourceSyscall.SendMMsg], ingress: [SourceSyscall.RecvMMsg] },
  sendfile: { egress: [SourceSyscall.Write, SourceSyscall.SendFile], ingress: [SourceSyscall.Read] },
};

interface HelperRun {
  pid: number;
  clientPort: number;
  serverPort: number;
  /** What each send syscall (or sendmmsg message) moved, in order. */
  units: Buffer[];
}

function runHelper(binary: string, family: Family, transport: string, ip: string): Promise<HelperRun> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      binary,
      [family, transport, ip, String(CAP)],
      { timeout: 5000 },
      (error, stdout) => {
        if (error) return reject(error);
        const lines = stdout.trim().split("\n");
        const [, client, server] = lines[0]?.split(" ") ?? [];
        const units = lines.filter((l) => l.startsWith("sent ")).map((l) => Buffer.from(l.slice(5), "hex"));
        if (lines.at(-1) !== "done") return reject(new Error(`helper did not finish: ${stdout}`));
        resolve({ pid: child.pid ?? -1, clientPort: Number(client), serverPort: Number(server), units });
      },
    );
  });
}

/**
 * Checks one direction: contiguous offsets covering the whole stream, each
 * event's bytes equal to the stream at its offset, and exactly
 * min(syscall size, cap) of them captured (none for sendfile).
 */
function expectStream(events: DataEvent[], sent: Buffer): void {
  const sorted = [...events].sort((a, b) => Number(a.streamOffset - b.streamOffset));
  let offset = 0;
  for (const event of sorted) {
    expect(event.streamOffset).toBe(BigInt(offset));
    const expectedCaptured = event.source === SourceSyscall.SendFile ? 0 : Math.min(event.syscallLen, CAP);
    expect(event.data.length).toBe(expectedCaptured);
    expect(event.data.equals(sent.subarray(offset, offset + event.data.length))).toBe(true);
    offset += event.syscallLen;
  }
  expect(offset).toBe(sent.length);
}

describe.skipIf(!isRoot)(
  "syscall coverage on the real kernel (root only; skipped otherwise outside CI)",
  () => {
    const log = new EventLog();
    let tracer: SocketTracer;
    let helper: ReturnType<typeof compileCProgram>;

    beforeAll(() => {
      helper = compileCProgram(HELPER_SOURCE);
      tracer = SocketTracer.open({ captureBytes: CAP }, log.add);
    });

    afterAll(() => {
      tracer?.close();
      helper?.dispose();
    });

    const cases = (Object.keys(SOURCES) as Family[]).flatMap((family) =>
      ["tcp", "udp"].flatMap((transport) => ["4", "6"].map((ip) => [family, transport, ip] as const)),
    );

    it.each(cases)(
      "%s over %s/IPv%s: both ends rebuild what was sent, up to the cap, gaps marked",
      async (family, transport, ip) => {
        const run = await runHelper(helper.binaryPath, family, transport, ip);
        const client = await waitFor("the client's conn-open", () =>
          log.openOf(run.pid, (e) => e.localPort === run.clientPort),
        );
        const server = await waitFor("the server's conn-open", () =>
          log.openOf(run.pid, (e) => e.localPort === run.serverPort),
        );
        await waitFor("both conn-closes", () =>
          log.closeOf(client.conn) && log.closeOf(server.conn) ? true : undefined,
        );

        const loopback = ip === "4" ? "127.0.0.1" : "::1";
        const expectEnds = (open: ConnOpenEvent, role: Role, remotePort: number) =>
          expect(open).toMatchObject({
            family: ip === "4" ? "ipv4" : "ipv6",
            transport,
            localAddr: loopback,
            remoteAddr: loopback,
            remotePort,
            role,
          });
        expectEnds(client, Role.Client, run.serverPort);
        // An unconnected UDP server learns its peer only from a receive that asks for the source address.
        const peerUnknowable = transport === "udp" && !["sendto", "sendmsg", "sendmmsg"].includes(family);
        if (peerUnknowable)
          expect(server).toMatchObject({ role: Role.Server, remotePort: 0, localAddr: loopback });
        else expectEnds(server, Role.Server, run.clientPort);

        const sent = Buffer.concat(run.units);
        const egress = log.dataOf(client.conn, Direction.Egress);
        const ingress = log.dataOf(server.conn, Direction.Ingress);
        const protocol = transport === "tcp" ? KernelProtocol.Http1 : KernelProtocol.Dns;
        for (const event of [...egress, ...ingress]) expect(event.protocol).toBe(protocol);

        // The sender's events are its syscalls (or sendmmsg's messages), one per unit.
        expect(egress.map((e) => e.syscallLen)).toEqual(run.units.map((u) => u.length));
        expect(new Set(egress.map((e) => e.source))).toEqual(new Set(SOURCES[family].egress));
        expect(new Set(ingress.map((e) => e.source))).toEqual(new Set(SOURCES[family].ingress));
        expectStream(egress, sent);
        expectStream(ingress, sent);
        if (transport === "udp")
          expect(ingress.map((e) => e.syscallLen)).toEqual(run.units.map((u) => u.length));
      },
    );

    it("counts nothing lost by the kernel for these exchanges", () => {
      expect(tracer.dropCounters()).toMatchObject({ ringbufFull: 0n, mmsgTruncated: 0n });
    });
  },
);
