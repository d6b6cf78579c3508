// Turns fixture conversations into the kernel events the decoder hands the
// pipeline for a client-side connection: open, one data event per write or
// datagram (egress for the client's bytes, ingress for the server's), close.
import type { KernelEvent } from "@periscope/agent";
import type { Conversation } from "./fixture-conversations.js";

const PID = 4242;
const ROLE_CLIENT = 1;
const EGRESS = 1;
const INGRESS = 2;
const SYSCALL = { read: 1, write: 2, connect: 5 } as const;

type KernelProtocol = Extract<KernelEvent, { kind: "data" }>["protocol"];

export interface ConnectionShape {
  /** The kernel's inference tag (bpf/protocols/), as capture/events.ts KernelProtocol numbers it. */
  kernelProtocol: KernelProtocol;
  transport: "tcp" | "udp";
  serverPort: number;
}

/**
 * Each call yields the next pass: every conversation on a connection of its own,
 * opened and closed within the pass, so a parser's handshake state (HTTP/2
 * preface, HPACK table, AMQP connection.start) starts fresh as on a real
 * connection, and the tracker holds a bounded number of connections.
 */
export function conversationPasses(
  conversations: readonly Conversation[],
  shape: ConnectionShape,
): () => KernelEvent[] {
  let now = 1_000_000_000n;
  let generation = 0;
  return () => {
    generation += 1;
    // A listening socket the client process keeps open throughout, as a real one
    // keeps some socket: the process stays known, so its name is looked up once,
    // not once per pass after its last connection closed.
    const events: KernelEvent[] =
      generation === 1 ? [open({ tgid: PID, fd: 9, generation: 0 }, now, 0, shape)] : [];
    conversations.forEach((conversation, index) => {
      const conn = { tgid: PID, fd: 10 + index, generation };
      now += 10_000n;
      events.push(open(conn, now, 40_000 + index, shape));
      const offsets = { egress: 0n, ingress: 0n };
      for (const { fromClient, bytes } of conversation.segments) {
        now += 20_000n;
        const key = fromClient ? "egress" : "ingress";
        events.push({
          kind: "data",
          timestampNs: now,
          conn,
          pid: PID,
          direction: fromClient ? EGRESS : INGRESS,
          source: fromClient ? SYSCALL.write : SYSCALL.read,
          protocol: shape.kernelProtocol,
          role: ROLE_CLIENT,
          streamOffset: offsets[key],
          syscallLen: bytes.length,
          data: bytes,
        });
        offsets[key] += BigInt(bytes.length);
      }
      now += 10_000n;
      events.push({
        kind: "close",
        timestampNs: now,
        conn,
        pid: PID,
        bytesSent: offsets.egress,
        bytesReceived: offsets.ingress,
      });
    });
    return events;
  };
}

function open(
  conn: KernelEvent["conn"],
  timestampNs: bigint,
  localPort: number,
  shape: ConnectionShape,
): KernelEvent {
  return {
    kind: "open",
    timestampNs,
    conn,
    pid: PID,
    family: "ipv4",
    localAddr: "127.0.0.1",
    localPort,
    remoteAddr: "10.1.2.3",
    remotePort: shape.serverPort,
    role: ROLE_CLIENT,
    source: SYSCALL.connect,
    comm: "bench-client",
    transport: shape.transport,
  };
}
