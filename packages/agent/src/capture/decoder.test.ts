import { describe, expect, it } from "vitest";
import { BatchDecoder } from "./decoder.js";
import { Direction, KernelProtocol, Role, SourceSyscall } from "./events.js";
import {
  ConnCloseLayout,
  ConnOpenLayout,
  DataEventLayout,
  EventHeaderLayout,
  EventType,
  TransportCode,
} from "./layout.js";

// Records built by hand at the offsets of bpf/common/socket_trace.h.

function header(record: Buffer, type: number, conn = { tgid: 4242, fd: 7, generation: 3 }): Buffer {
  record.writeBigUInt64LE(123456789n, EventHeaderLayout.timestampNs);
  record.writeUInt32LE(conn.tgid, EventHeaderLayout.connTgid);
  record.writeInt32LE(conn.fd, EventHeaderLayout.connFd);
  record.writeUInt32LE(conn.generation, EventHeaderLayout.connGeneration);
  record.writeUInt32LE(4243, EventHeaderLayout.pid);
  record.writeUInt16LE(type, EventHeaderLayout.type);
  record.writeUInt16LE(record.length, EventHeaderLayout.recordSize);
  return record;
}

function openRecord(
  family: number,
  local: number[],
  remote: number[],
  comm = "curl",
  transport: number = TransportCode.Tcp,
): Buffer {
  const record = header(Buffer.alloc(ConnOpenLayout.size), EventType.ConnOpen);
  Buffer.from(local).copy(record, ConnOpenLayout.localAddr);
  Buffer.from(remote).copy(record, ConnOpenLayout.remoteAddr);
  record.writeUInt16LE(family, ConnOpenLayout.family);
  record.writeUInt16LE(51000, ConnOpenLayout.localPort);
  record.writeUInt16LE(8080, ConnOpenLayout.remotePort);
  record.writeUInt8(Role.Client, ConnOpenLayout.role);
  record.writeUInt8(SourceSyscall.Connect, ConnOpenLayout.source);
  record.write(comm, ConnOpenLayout.comm, "utf8");
  record.writeUInt8(transport, ConnOpenLayout.transport);
  return record;
}

function closeRecord(sent: bigint, received: bigint): Buffer {
  const record = header(Buffer.alloc(ConnCloseLayout.size), EventType.ConnClose);
  record.writeBigUInt64LE(sent, ConnCloseLayout.bytesSent);
  record.writeBigUInt64LE(received, ConnCloseLayout.bytesReceived);
  return record;
}

function dataRecord(payload: string, syscallLen = payload.length, offset = 0n): Buffer {
  const bytes = Buffer.from(payload);
  const record = Buffer.alloc(DataEventLayout.data + bytes.length);
  bytes.copy(record, DataEventLayout.data);
  header(record, EventType.Data);
  record.writeBigUInt64LE(offset, DataEventLayout.streamOffset);
  record.writeUInt32LE(syscallLen, DataEventLayout.syscallLen);
  record.writeUInt32LE(bytes.length, DataEventLayout.capturedLen);
  record.writeUInt8(Direction.Egress, DataEventLayout.direction);
  record.writeUInt8(SourceSyscall.SendTo, DataEventLayout.source);
  record.writeUInt8(KernelProtocol.Http1, DataEventLayout.protocol);
  record.writeUInt8(Role.Client, DataEventLayout.role);
  return record;
}

/** Frames records the way the native poller does: [u32 LE length][record]. */
function batch(...records: Buffer[]): Buffer {
  return Buffer.concat(
    records.flatMap((record) => {
      const length = Buffer.alloc(4);
      length.writeUInt32LE(record.length);
      return [length, record];
    }),
  );
}

const IPV4 = 2;
const IPV6 = 10;
const loopback4 = [127, 0, 0, 1, ...new Array(12).fill(0)];
const peer4 = [10, 1, 2, 3, ...new Array(12).fill(0)];

describe("BatchDecoder", () => {
  it("decodes open, data and close records of one batch in order", () => {
    const decoder = new BatchDecoder();
    const events = decoder.decode(
      batch(
        openRecord(IPV4, loopback4, peer4),
        dataRecord("GET / HTTP/1.1\r\n\r\n", 18, 0n),
        closeRecord(18n, 0n),
      ),
    );

    expect(events).toHaveLength(3);
    expect(events[0]).toEqual({
      kind: "open",
      timestampNs: 123456789n,
      conn: { tgid: 4242, fd: 7, generation: 3 },
      pid: 4243,
      family: "ipv4",
      localAddr: "127.0.0.1",
      localPort: 51000,
      remoteAddr: "10.1.2.3",
      remotePort: 8080,
      role: Role.Client,
      source: SourceSyscall.Connect,
      comm: "curl",
      transport: "tcp",
    });
    const data = events[1];
    expect(data?.kind).toBe("data");
    if (data?.kind !== "data") return;
    expect(data.data.toString()).toBe("GET / HTTP/1.1\r\n\r\n");
    expect(data).toMatchObject({
      direction: Direction.Egress,
      source: SourceSyscall.SendTo,
      protocol: KernelProtocol.Http1,
      role: Role.Client,
      streamOffset: 0n,
      syscallLen: 18,
    });
    expect(events[2]).toMatchObject({ kind: "close", bytesSent: 18n, bytesReceived: 0n });
    expect(decoder.counters).toEqual({
      decoded: 3,
      truncatedFrames: 0,
      badSize: 0,
      unknownType: 0,
      badField: 0,
    });
  });

  it("formats IPv6 and IPv4-mapped addresses", () => {
    const v6 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    const mapped = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 168, 0, 9];
    const [event] = new BatchDecoder().decode(batch(openRecord(IPV6, v6, mapped)));
    expect(event).toMatchObject({
      family: "ipv6",
      localAddr: "2001:db8::1",
      remoteAddr: "::ffff:192.168.0.9",
    });
  });

  it("keeps a data event whose payload was capped: fewer bytes than the syscall moved", () => {
    const [event] = new BatchDecoder().decode(batch(dataRecord("GET /", 4000, 100n)));
    expect(event).toMatchObject({ kind: "data", syscallLen: 4000, streamOffset: 100n });
    expect(event?.kind === "data" && event.data.toString()).toBe("GET /");
  });

  it("reports a UDP socket's transport, and rejects a transport outside enum transport", () => {
    const decoder = new BatchDecoder();
    const [udp] = decoder.decode(batch(openRecord(IPV4, loopback4, peer4, "dig", TransportCode.Udp)));
    expect(udp).toMatchObject({ kind: "open", transport: "udp", comm: "dig" });
    expect(decoder.decode(batch(openRecord(IPV4, loopback4, peer4, "dig", 0)))).toEqual([]);
    expect(decoder.counters.badField).toBe(1);
  });

  it("reads a comm that fills all 16 bytes without a terminator", () => {
    const [event] = new BatchDecoder().decode(batch(openRecord(IPV4, loopback4, peer4, "abcdefghijklmnop")));
    expect(event).toMatchObject({ comm: "abcdefghijklmnop" });
  });

  it("stops at a frame whose length runs past the batch, keeping earlier records", () => {
    const decoder = new BatchDecoder();
    const whole = batch(closeRecord(1n, 2n), closeRecord(3n, 4n));
    const events = decoder.decode(whole.subarray(0, whole.length - 10));
    expect(events).toHaveLength(1);
    expect(decoder.counters.truncatedFrames).toBe(1);
  });

  it("counts a dangling partial length prefix", () => {
    const decoder = new BatchDecoder();
    expect(decoder.decode(Buffer.concat([batch(closeRecord(1n, 2n)), Buffer.from([9, 0])]))).toHaveLength(1);
    expect(decoder.counters.truncatedFrames).toBe(1);
  });

  it("skips records shorter than a header or whose size field disagrees, and goes on", () => {
    const decoder = new BatchDecoder();
    const lying = closeRecord(1n, 2n);
    lying.writeUInt16LE(ConnCloseLayout.size + 8, EventHeaderLayout.recordSize);
    const events = decoder.decode(batch(Buffer.alloc(10), lying, closeRecord(5n, 6n)));
    expect(events).toEqual([expect.objectContaining({ kind: "close", bytesSent: 5n })]);
    expect(decoder.counters.badSize).toBe(2);
  });

  it("skips a data record whose captured_len runs past the record", () => {
    const decoder = new BatchDecoder();
    const record = dataRecord("abc");
    record.writeUInt32LE(300, DataEventLayout.capturedLen);
    expect(decoder.decode(batch(record))).toEqual([]);
    expect(decoder.counters.badSize).toBe(1);
  });

  it("skips records with an unknown type or out-of-range fields", () => {
    const decoder = new BatchDecoder();
    const unknownType = closeRecord(1n, 1n);
    unknownType.writeUInt16LE(99, EventHeaderLayout.type);
    const badFamily = openRecord(1, loopback4, peer4); // AF_UNIX is never traced
    const badDirection = dataRecord("x");
    badDirection.writeUInt8(7, DataEventLayout.direction);
    const capturedOverSyscall = dataRecord("abcd", 2);

    expect(decoder.decode(batch(unknownType, badFamily, badDirection, capturedOverSyscall))).toEqual([]);
    expect(decoder.counters).toMatchObject({ decoded: 0, unknownType: 1, badField: 3 });
  });

  it("never throws on arbitrary bytes", () => {
    const decoder = new BatchDecoder();
    let seed = 7;
    for (let round = 0; round < 200; round++) {
      const junk = Buffer.alloc(round * 3);
      for (let i = 0; i < junk.length; i++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        junk[i] = seed & 0xff;
      }
      expect(() => decoder.decode(junk)).not.toThrow();
    }
  });
});
