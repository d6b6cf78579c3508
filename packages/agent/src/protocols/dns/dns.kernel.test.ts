import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KernelCapture, runNodeScript, startKernelCapture } from "../testing/kernel-capture.js";
import { dnsDefinition } from "./dns-definition.js";
import { type DnsResponder, startDnsResponder } from "./fixtures/dns-responder.js";

// node's resolver (c-ares) in a child process asking the local responder
// (fixtures/dns-responder.ts, in this process, which the tracer leaves out)
// over UDP, then a raw length-prefixed query over TCP, seen by the real eBPF
// tracer: the kernel's inference must tag both sockets DNS for records to exist.

// The title fits comm's 15 bytes, so the name is the same whether it is read
// from /proc or, once the short-lived client has exited, from the event's comm.
const CLIENT_SCRIPT = `
process.title = "pscope-dns";
const { Resolver } = require("node:dns").promises;
const net = require("node:net");
const port = Number(process.argv[1]);
const tcpQuery = (name, type) => {
  const labels = name.split(".").map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label)]));
  const header = Buffer.from([0x50, 0x53, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]); // id 0x5053, RD, one question
  const message = Buffer.concat([header, ...labels, Buffer.from([0, 0, type, 0, 1])]);
  return Buffer.concat([Buffer.from([message.length >> 8, message.length & 0xff]), message]);
};
(async () => {
  const resolver = new Resolver({ timeout: 2000, tries: 1 });
  resolver.setServers(["127.0.0.1:" + port]);
  await resolver.resolve4("api.periscope.test");
  await resolver.resolveMx("periscope.test");
  await resolver.resolve4("missing.periscope.test").catch(() => {});
  await resolver.resolve4("broken.periscope.test").catch(() => {});
  await new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write(tcpQuery("api.periscope.test", 28)));
    let reply = Buffer.alloc(0);
    socket.on("data", (bytes) => {
      reply = Buffer.concat([reply, bytes]);
      if (reply.length >= 2 && reply.length >= 2 + reply.readUInt16BE(0)) socket.end(resolve);
    });
    socket.on("error", reject);
  });
})();
`;

let capture: KernelCapture;
let responder: DnsResponder;

beforeAll(async () => {
  capture = startKernelCapture([dnsDefinition]);
  responder = await startDnsResponder();
});

afterAll(async () => {
  capture?.close();
  await responder?.close();
});

describe("DNS behind the real socket tracer", () => {
  it("records UDP queries from node's resolver and a TCP query: name, type, rcode and answers", async () => {
    const client = await runNodeScript(CLIENT_SCRIPT, [String(responder.port)]);
    const ours = () => capture.clientRecordsOf(client.pid);
    await expect.poll(() => ours().length, { timeout: 10_000 }).toBe(5);
    const seen = ours().map((record) => ({
      operation: record.operation,
      target: record.target,
      status: record.status,
      error: record.error,
      rcode: record.attributes["dns.rcode"],
      transport: record.attributes["dns.transport"],
      answers: record.attributes["dns.answers"],
    }));
    expect(seen).toEqual([
      {
        operation: "A",
        target: "api.periscope.test",
        status: 0,
        error: false,
        rcode: "NOERROR",
        transport: "udp",
        answers: "A 10.0.0.7, A 10.0.0.8",
      },
      {
        operation: "MX",
        target: "periscope.test",
        status: 0,
        error: false,
        rcode: "NOERROR",
        transport: "udp",
        answers: "MX 10 mail.periscope.test",
      },
      {
        operation: "A",
        target: "missing.periscope.test",
        status: 3,
        error: false,
        rcode: "NXDOMAIN",
        transport: "udp",
        answers: undefined,
      },
      {
        operation: "A",
        target: "broken.periscope.test",
        status: 2,
        error: true,
        rcode: "SERVFAIL",
        transport: "udp",
        answers: undefined,
      },
      {
        operation: "AAAA",
        target: "api.periscope.test",
        status: 0,
        error: false,
        rcode: "NOERROR",
        transport: "tcp",
        answers: "AAAA 2001:db8::7",
      },
    ]);
    for (const record of ours()) {
      expect(record.server).toMatchObject({ ip: "127.0.0.1", port: responder.port });
      expect(record.client.service).toBe("pscope-dns");
      expect(record.durationNs).toBeGreaterThan(0n);
    }
  });
});
