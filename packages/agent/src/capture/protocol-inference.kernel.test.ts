// In-kernel protocol inference against real servers and real client
// libraries: each client runs in a child process, records what it wrote,
// and the test checks that the kernel tagged the connection with the right
// protocol and role and captured exactly those bytes. Needs the local
// servers of scripts/setup/services.sh (PostgreSQL, MariaDB, Redis, NATS,
// Mosquitto, RabbitMQ).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ConnOpenEvent, Direction, KernelProtocol, Role } from "./events.js";
import { EventLog, isRoot, requireRootInCi, startNode, waitFor } from "./fixtures/kernel-processes.js";
import {
  DNS_ANSWER_HEX,
  DNS_CLIENT_SCRIPT,
  DNS_QUERY_HEX,
  DNS_RESPONDER_SCRIPT,
  HTTP2_CLIENT_SCRIPT,
  HTTP2_SERVER_SCRIPT,
  PROTOCOL_CLIENTS,
} from "./fixtures/protocol-clients.js";
import { SocketTracer } from "./socket-tracer.js";

requireRootInCi("protocol-inference.kernel.test.ts");

const EXPECTED_TAG: Record<string, KernelProtocol> = {
  "PostgreSQL (pg)": KernelProtocol.Postgres,
  "MariaDB (mysql2)": KernelProtocol.Mysql,
  "Redis (ioredis)": KernelProtocol.Redis,
  "NATS (nats)": KernelProtocol.Nats,
  "MQTT (mqtt)": KernelProtocol.Mqtt,
  "AMQP (amqplib)": KernelProtocol.Amqp,
};

describe.skipIf(!isRoot)("in-kernel protocol inference on real traffic (root only)", () => {
  const log = new EventLog();
  let tracer: SocketTracer;

  beforeAll(() => {
    tracer = SocketTracer.open({}, log.add);
  });

  afterAll(() => tracer?.close());

  /** Waits until a direction's captured stream is at least `length` bytes long. */
  async function streamOf(open: ConnOpenEvent, direction: Direction, length: number) {
    return waitFor(`${length} captured bytes`, () => {
      const stream = log.stream(open.conn, direction);
      return stream.text.length >= length ? stream : undefined;
    });
  }

  it.each(PROTOCOL_CLIENTS.map((client) => [client.name, client] as const))(
    "%s: tagged, role client, payload captured as sent",
    async (name, client) => {
      const child = await startNode(client.script);
      const sockets = JSON.parse(child.firstLine) as Array<{ localPort: number; sent: string }>;
      const socket = sockets.find((s) => s.localPort !== undefined && s.sent.length > 0);
      expect(socket, `${name} wrote on a socket`).toBeDefined();
      const sent = Buffer.from(socket?.sent ?? "", "base64").toString("latin1");

      const open = await waitFor(`${name}'s conn-open`, () =>
        log.openOf(child.pid, (e) => e.localPort === socket?.localPort),
      );
      expect(open).toMatchObject({ role: Role.Client, remotePort: client.port, transport: "tcp" });
      const egress = await streamOf(open, Direction.Egress, sent.length);
      expect(egress).toEqual({ text: sent, complete: true });

      const data = [...log.dataOf(open.conn, Direction.Egress), ...log.dataOf(open.conn, Direction.Ingress)];
      expect(data.every((e) => e.protocol === EXPECTED_TAG[name] && e.role === Role.Client)).toBe(true);
      // The server's side of the conversation is captured too, from its first byte.
      const ingress = log.stream(open.conn, Direction.Ingress);
      expect(ingress.text.length).toBeGreaterThan(0);
      expect(ingress.complete).toBe(true);
    },
  );

  it("HTTP/2: client preface and server SETTINGS both tagged, on both ends", async () => {
    const server = await startNode(HTTP2_SERVER_SCRIPT);
    try {
      const client = await startNode(HTTP2_CLIENT_SCRIPT, [server.firstLine]);
      const { localPort, body } = JSON.parse(client.firstLine) as { localPort: number; body: string };
      expect(body).toBe("hello h2");

      const clientOpen = await waitFor("the HTTP/2 client's conn-open", () => log.openOf(client.pid));
      expect(clientOpen).toMatchObject({
        role: Role.Client,
        localPort,
        remotePort: Number(server.firstLine),
      });
      const sent = await streamOf(clientOpen, Direction.Egress, 24);
      expect(sent.text.startsWith("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")).toBe(true);
      expect(sent.complete).toBe(true);
      expect(
        log.dataOf(clientOpen.conn, Direction.Egress).every((e) => e.protocol === KernelProtocol.Http2),
      ).toBe(true);

      const serverOpen = await waitFor("the HTTP/2 server's conn-open", () =>
        log.openOf(server.pid, (e) => e.remotePort === localPort),
      );
      expect(serverOpen.role).toBe(Role.Server);
      const received = await streamOf(serverOpen, Direction.Ingress, 24);
      expect(received.text.startsWith(sent.text.slice(0, 24))).toBe(true);
      // The server's SETTINGS preface may leave before it reads the client's: captured all the same.
      const serverSent = await streamOf(serverOpen, Direction.Egress, 9);
      expect(serverSent.complete).toBe(true);
      expect(serverSent.text.charCodeAt(3)).toBe(0x4); // SETTINGS
      const serverData = [
        ...log.dataOf(serverOpen.conn, Direction.Egress),
        ...log.dataOf(serverOpen.conn, Direction.Ingress),
      ];
      expect(serverData.every((e) => e.protocol === KernelProtocol.Http2 && e.role === Role.Server)).toBe(
        true,
      );
    } finally {
      server.child.kill();
    }
  });

  it("DNS over UDP: client and responder sockets, peers from the datagrams, query and answer captured", async () => {
    const responder = await startNode(DNS_RESPONDER_SCRIPT);
    try {
      const port = Number(responder.firstLine);
      const client = await startNode(DNS_CLIENT_SCRIPT, [String(port)]);
      const clientPort = Number(client.firstLine);
      const query = Buffer.from(DNS_QUERY_HEX, "hex").toString("latin1");
      const answer = Buffer.from(DNS_ANSWER_HEX, "hex").toString("latin1");

      const clientOpen = await waitFor("the DNS client's conn-open", () => log.openOf(client.pid));
      expect(clientOpen).toMatchObject({
        transport: "udp",
        role: Role.Client,
        localPort: clientPort,
        remoteAddr: "127.0.0.1",
        remotePort: port,
      });
      expect(await streamOf(clientOpen, Direction.Egress, query.length)).toEqual({
        text: query,
        complete: true,
      });
      expect(await streamOf(clientOpen, Direction.Ingress, answer.length)).toEqual({
        text: answer,
        complete: true,
      });
      const clientData = [
        ...log.dataOf(clientOpen.conn, Direction.Egress),
        ...log.dataOf(clientOpen.conn, Direction.Ingress),
      ];
      expect(clientData.every((e) => e.protocol === KernelProtocol.Dns && e.role === Role.Client)).toBe(true);

      const serverOpen = await waitFor("the responder's conn-open", () => log.openOf(responder.pid));
      expect(serverOpen).toMatchObject({
        transport: "udp",
        role: Role.Server,
        localAddr: "127.0.0.1",
        localPort: port,
        remoteAddr: "127.0.0.1",
        remotePort: clientPort,
      });
      expect(await streamOf(serverOpen, Direction.Ingress, query.length)).toEqual({
        text: query,
        complete: true,
      });
      expect(
        log.dataOf(serverOpen.conn, Direction.Ingress).every((e) => e.protocol === KernelProtocol.Dns),
      ).toBe(true);
    } finally {
      responder.child.kill();
    }
  });
});
