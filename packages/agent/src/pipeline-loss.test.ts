import { describe, expect, it } from "vitest";
import { Direction, KernelProtocol, Role } from "./capture/events.js";
import type { DisabledConnection } from "./pipeline.js";
import { CLIENT_PID, makePipeline, side } from "./protocols/testing/pipeline-events.js";

const CONN = { tgid: CLIENT_PID, fd: 7, generation: 3 };

describe("Pipeline loss accounting", () => {
  it("disables a connection whose bytes never parse (a false-positive inference), tells the capture layer and counts it", () => {
    const disabled: DisabledConnection[] = [];
    const { pipeline, records } = makePipeline([], { onConnectionDisabled: (c) => disabled.push(c) });
    // Tagged Redis by the kernel, but an array's element must start with a RESP type byte.
    const client = side(CONN, Role.Client, KernelProtocol.Redis);
    pipeline.handleBatch([client.open(["127.0.0.1", 51000], ["127.0.0.1", 6379])]);
    for (let i = 0; i < 8; i++) pipeline.handleBatch([client.data(Direction.Egress, "*1\r\nx\r\n")]);
    expect(disabled).toEqual([{ pid: CLIENT_PID, fd: 7, generation: 3, key: `${CLIENT_PID}:7:3` }]);
    const counters = pipeline.counters();
    expect(counters.connectionsDisabled).toBe(1);
    expect(counters.parseErrors).toBe(4);
    // Once disabled, later bytes are neither parsed nor buffered, even ones that would parse.
    pipeline.handleBatch([
      client.data(Direction.Egress, "*1\r\n$4\r\nPING\r\n"),
      client.data(Direction.Ingress, "+PONG\r\n"),
    ]);
    expect(records).toEqual([]);
    expect(pipeline.counters().parseErrors).toBe(4);
    expect(pipeline.tracker.get(CONN)?.egress.buffered ?? -1).toBe(0);
  });

  it("disables a connection whose bytes never even look like a frame start, after a bounded amount", () => {
    const disabled: DisabledConnection[] = [];
    const { pipeline } = makePipeline([], { onConnectionDisabled: (c) => disabled.push(c) });
    const client = side(CONN, Role.Client, KernelProtocol.Redis);
    pipeline.handleBatch([
      client.open(["127.0.0.1", 51000], ["127.0.0.1", 6379]),
      client.data(Direction.Egress, "*x\r\n"),
    ]);
    const junk = "z".repeat(4096);
    let sent = 0;
    while (disabled.length === 0 && sent < 1024 * 1024) {
      pipeline.handleBatch([client.data(Direction.Egress, junk)]);
      sent += junk.length;
    }
    expect(disabled).toHaveLength(1);
    // One parse failure, then three times 16 KiB thrown away with no frame start in sight.
    expect(sent).toBeGreaterThanOrEqual(3 * 16 * 1024);
    expect(sent).toBeLessThan(4 * 16 * 1024);
    expect(pipeline.counters()).toMatchObject({ connectionsDisabled: 1, parseErrors: 1 });
  });

  it("resyncs a connection after bad bytes, counts the resync and keeps parsing it", () => {
    const disabled: DisabledConnection[] = [];
    const { pipeline, records } = makePipeline([], { onConnectionDisabled: (c) => disabled.push(c) });
    const client = side(CONN, Role.Client, KernelProtocol.Redis);
    pipeline.handleBatch([client.open(["127.0.0.1", 51000], ["127.0.0.1", 6379])]);
    for (let round = 0; round < 10; round++) {
      pipeline.handleBatch([
        client.data(Direction.Egress, "*x\r\n*1\r\n$4\r\nPING\r\n"),
        client.data(Direction.Ingress, "+PONG\r\n"),
      ]);
    }
    expect(records.map((record) => record.operation)).toEqual(Array(10).fill("PING"));
    expect(pipeline.counters()).toMatchObject({ parseErrors: 10, parserResyncs: 10, connectionsDisabled: 0 });
    expect(disabled).toEqual([]);
  });

  it("counts an HTTP/2 header block HPACK cannot decode as a parse error", () => {
    const { pipeline } = makePipeline();
    const client = side(CONN, Role.Client, KernelProtocol.Http2);
    const preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    const settings = "\x00\x00\x00\x04\x00\x00\x00\x00\x00";
    // HEADERS, END_STREAM|END_HEADERS, stream 1: one octet 0x80, an indexed field with index 0 (RFC 7541 §6.1: an error).
    const headers = "\x00\x00\x01\x01\x05\x00\x00\x00\x01\x80";
    pipeline.handleBatch([
      client.open(["127.0.0.1", 51000], ["127.0.0.1", 8443]),
      client.data(Direction.Egress, preface + settings + headers),
    ]);
    expect(pipeline.counters().parseErrors).toBe(1);
  });

  it("steps to a gap that starts inside a message's header and parses what follows at once", () => {
    const { pipeline, records } = makePipeline();
    const client = side(CONN, Role.Client, KernelProtocol.Redis);
    // One pipelined write of which the kernel captured only the first 16 bytes: the
    // second command's header ("*1" of "*1\r\n") ends at the capture cap.
    const write = "*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\n";
    const captured = write.slice(0, 16);
    expect(captured.endsWith("*1")).toBe(true);
    pipeline.handleBatch([
      client.open(["127.0.0.1", 51000], ["127.0.0.1", 6379]),
      client.data(Direction.Egress, captured, { moved: write.length }),
      client.data(Direction.Egress, "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"),
      client.data(Direction.Ingress, "+PONG\r\n"),
    ]);
    expect(records.map((record) => record.operation)).toEqual(["PING"]);
    // The GET after the gap was read without waiting for 64 KiB more traffic.
    pipeline.handleBatch([client.data(Direction.Ingress, "+PONG\r\n$1\r\nv\r\n")]);
    expect(records.map((record) => [record.operation, record.target])).toEqual([
      ["PING", ""],
      ["GET", "k"],
    ]);
    expect(pipeline.counters()).toMatchObject({ streamGaps: 1, parseErrors: 0 });
  });
});
