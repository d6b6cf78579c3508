import { describe, expect, it } from "vitest";
import { Direction, type KernelEvent, KernelProtocol, Role } from "./capture/events.js";
import { loadFixture as loadHttp2Fixture } from "./protocols/http2/fixtures/replay.js";
import { CLIENT_PID, makePipeline, SERVER_PID, side } from "./protocols/testing/pipeline-events.js";

const REQUEST = "GET /items/42 HTTP/1.1\r\nHost: catalog:8080\r\nUser-Agent: demo\r\n\r\n";
const RESPONSE = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{"id":42}';

describe("Pipeline", () => {
  it("turns a loopback exchange seen from both ends into a client and a server record naming each other", () => {
    const { pipeline, records } = makePipeline();
    const client = side({ tgid: CLIENT_PID, fd: 7, generation: 1 }, Role.Client);
    const server = side({ tgid: SERVER_PID, fd: 9, generation: 1 }, Role.Server);
    pipeline.handleBatch([
      client.open(["127.0.0.1", 51000], ["127.0.0.1", 8080]),
      server.open(["127.0.0.1", 8080], ["127.0.0.1", 51000]),
      client.data(Direction.Egress, REQUEST, { at: 2_000n }),
      server.data(Direction.Ingress, REQUEST, { at: 2_050n }),
      server.data(Direction.Egress, RESPONSE, { at: 2_900n }),
      client.data(Direction.Ingress, RESPONSE, { at: 3_000n }),
      client.close(),
      server.close(),
    ]);
    const frontend = {
      ip: "127.0.0.1",
      port: 51000,
      service: "frontend",
      pid: CLIENT_PID,
      processName: "frontend",
    };
    const catalog = {
      ip: "127.0.0.1",
      port: 8080,
      service: "catalog",
      pid: SERVER_PID,
      processName: "catalog",
    };
    expect(records).toEqual([
      expect.objectContaining({
        side: "server",
        client: frontend,
        server: catalog,
        startMonotonicNs: 2_050n,
        durationNs: 850n,
      }),
      expect.objectContaining({
        protocol: "http",
        side: "client",
        client: frontend,
        server: catalog,
        operation: "GET",
        target: "/items/42",
        status: 200,
        error: false,
        startMonotonicNs: 2_000n,
        durationNs: 1_000n,
        requestBytes: REQUEST.length,
        responseBytes: RESPONSE.length,
        attributes: {
          "http.host": "catalog:8080",
          "http.user_agent": "demo",
          "http.response.content_type": "application/json",
          "http.version": "1.1",
        },
        truncated: false,
      }),
    ]);
  });

  it("names a local server from the listening-socket table when only the client is traced", () => {
    const { pipeline, records } = makePipeline([{ ip: "0.0.0.0", port: 8080, pid: SERVER_PID }]);
    const client = side({ tgid: CLIENT_PID, fd: 7, generation: 1 }, Role.Client);
    pipeline.handleBatch([
      client.open(["10.0.0.5", 51000], ["10.0.0.5", 8080]),
      client.data(Direction.Egress, REQUEST),
      client.data(Direction.Ingress, RESPONSE),
    ]);
    expect(records.map((record) => record.server)).toEqual([
      { ip: "10.0.0.5", port: 8080, service: "catalog", pid: SERVER_PID, processName: "catalog" },
    ]);
  });

  it("leaves a remote peer without a service", () => {
    const { pipeline, records } = makePipeline([{ ip: "0.0.0.0", port: 8080, pid: SERVER_PID }]);
    const client = side({ tgid: CLIENT_PID, fd: 7, generation: 1 }, Role.Client);
    pipeline.handleBatch([
      client.open(["10.0.0.5", 51000], ["93.184.216.34", 8080]),
      client.data(Direction.Egress, REQUEST),
      client.data(Direction.Ingress, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"),
    ]);
    expect(records.map((record) => [record.server, record.status, record.error])).toEqual([
      [{ ip: "93.184.216.34", port: 8080, service: "", pid: 0, processName: "" }, 503, true],
    ]);
  });

  it("infers the role of a connection the kernel could not classify from who wrote the request", () => {
    const { pipeline, records } = makePipeline();
    const unknown = side({ tgid: SERVER_PID, fd: 11, generation: 3 }, Role.Unknown);
    pipeline.handleBatch([
      unknown.data(Direction.Ingress, REQUEST),
      unknown.data(Direction.Egress, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"),
    ]);
    expect(
      records.map((record) => [record.side, record.status, record.error, record.server.processName]),
    ).toEqual([["server", 404, false, "catalog"]]);
  });

  it("joins the first request seen on a connection that predates the agent", () => {
    const { pipeline, records } = makePipeline();
    const old = side({ tgid: CLIENT_PID, fd: 5, generation: 1 }, Role.Client);
    // Half a request and its response went by before the agent started.
    const missed = old.data(Direction.Egress, "ET /before HTTP/1.1\r\n\r\n");
    old.data(Direction.Ingress, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    void missed;
    pipeline.handleBatch([
      old.data(Direction.Egress, "GET /after HTTP/1.1\r\n\r\n"),
      old.data(Direction.Ingress, "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"),
    ]);
    expect(records.map((record) => [record.target, record.status])).toEqual([["/after", 201]]);
    expect(pipeline.counters().parseErrors).toBe(0);
  });

  it("treats a reused fd with a new generation as a new connection", () => {
    const { pipeline, records } = makePipeline();
    const first = side({ tgid: CLIENT_PID, fd: 7, generation: 1 }, Role.Client);
    const second = side({ tgid: CLIENT_PID, fd: 7, generation: 2 }, Role.Client);
    pipeline.handleBatch([
      first.open(["127.0.0.1", 51000], ["127.0.0.1", 8080]),
      first.data(Direction.Egress, "GET /one HTTP/1.1\r\n\r\n"),
      // The first connection's close was lost; the fd is reused by a new socket.
      second.open(["127.0.0.1", 51002], ["127.0.0.1", 8081]),
      second.data(Direction.Egress, "GET /two HTTP/1.1\r\n\r\n"),
      second.data(Direction.Ingress, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
      first.data(Direction.Ingress, "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n"),
    ]);
    expect(records.map((record) => [record.target, record.status, record.server.port])).toEqual([
      ["/two", 200, 8081],
      ["/one", 500, 8080],
    ]);
  });

  it("marks a record truncated when part of a body was not captured, and keeps parsing", () => {
    const { pipeline, records } = makePipeline();
    const client = side({ tgid: CLIENT_PID, fd: 7, generation: 1 }, Role.Client);
    const head = "HTTP/1.1 200 OK\r\nContent-Length: 50000\r\n\r\n";
    pipeline.handleBatch([
      client.open(["127.0.0.1", 51000], ["127.0.0.1", 8080]),
      client.data(Direction.Egress, "GET /big HTTP/1.1\r\n\r\n"),
      client.data(Direction.Ingress, `${head}${"x".repeat(100)}`, { moved: head.length + 50_000 }),
      client.data(Direction.Egress, "GET /small HTTP/1.1\r\n\r\n"),
      client.data(Direction.Ingress, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
    ]);
    expect(records.map((record) => [record.target, record.responseBytes, record.truncated])).toEqual([
      ["/big", head.length + 50_000, true],
      ["/small", 38, false],
    ]);
    expect(pipeline.counters()).toMatchObject({ uncapturedBytes: 50_000 - 100, streamGaps: 0 });
  });

  it("emits records whose bodies end inside uncaptured bytes, as a capped 200 kB response does", () => {
    // Event sizes as the kernel reported them for node's http client and server, 4096-byte cap.
    const { pipeline, records } = makePipeline();
    const client = side({ tgid: CLIENT_PID, fd: 7, generation: 1 }, Role.Client);
    const head = "HTTP/1.1 200 OK\r\ncontent-length: 200000\r\n\r\n";
    const upload = "POST /upload HTTP/1.1\r\nContent-Length: 50000\r\n\r\n";
    const capped = (text: string) => text.padEnd(4096, "x");
    pipeline.handleBatch([
      client.open(["127.0.0.1", 51000], ["127.0.0.1", 8080]),
      client.data(Direction.Egress, "GET /big HTTP/1.1\r\n\r\n"),
      client.data(Direction.Ingress, capped(head), { moved: 65536 }),
      client.data(Direction.Ingress, capped(""), { moved: 65536 }),
      client.data(Direction.Ingress, capped(""), { moved: 200000 + head.length - 2 * 65536 }),
    ]);
    expect(records.map((record) => [record.target, record.responseBytes, record.truncated])).toEqual([
      ["/big", head.length + 200000, true],
    ]);
    pipeline.handleBatch([
      client.data(Direction.Egress, capped(upload), { moved: upload.length + 50000 }),
      client.data(Direction.Ingress, "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"),
    ]);
    // node's client sends a body of unknown length chunked: the uncaptured tail hides the last chunk's framing.
    const chunkedUpload = "POST /chunked HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nc350\r\n";
    pipeline.handleBatch([
      client.data(Direction.Egress, capped(chunkedUpload), { moved: chunkedUpload.length + 50000 + 7 }),
      client.data(Direction.Ingress, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
    ]);
    expect(
      records.map((record) => [record.target, record.requestBytes, record.status, record.truncated]),
    ).toEqual([
      ["/big", 21, 200, true],
      ["/upload", upload.length + 50000, 201, true],
      ["/chunked", chunkedUpload.length + 50000 + 7, 200, true],
    ]);
  });

  it("resyncs after a lost event and counts the gap", () => {
    const { pipeline, records } = makePipeline();
    const client = side({ tgid: CLIENT_PID, fd: 7, generation: 1 }, Role.Client);
    const open = client.open(["127.0.0.1", 51000], ["127.0.0.1", 8080]);
    const request1 = client.data(Direction.Egress, "GET /lost HTTP/1.1\r\n\r\n");
    const lostResponse = client.data(Direction.Ingress, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    void lostResponse; // dropped by a full ring buffer
    pipeline.handleBatch([
      open,
      request1,
      client.data(Direction.Egress, "GET /kept HTTP/1.1\r\n\r\n"),
      client.data(Direction.Ingress, "HTTP/1.1 204 No Content\r\n\r\n"),
    ]);
    // FIFO pairing cannot know the lost response answered /lost: the pairing shifts.
    expect(records).toHaveLength(1);
    expect(records[0]?.status).toBe(204);
    expect(pipeline.counters().streamGaps).toBe(1);
  });

  it("completes a close-delimited response on the close event", () => {
    const { pipeline, records } = makePipeline();
    const client = side({ tgid: CLIENT_PID, fd: 7, generation: 1 }, Role.Client);
    const events: KernelEvent[] = [
      client.open(["127.0.0.1", 51000], ["127.0.0.1", 8080]),
      client.data(Direction.Egress, "GET /legacy HTTP/1.0\r\n\r\n"),
      client.data(Direction.Ingress, "HTTP/1.0 200 OK\r\n\r\nuntil close"),
    ];
    pipeline.handleBatch(events);
    expect(records).toHaveLength(0);
    pipeline.handleBatch([client.close()]);
    expect(records.map((record) => [record.target, record.responseBytes])).toEqual([["/legacy", 30]]);
    expect(pipeline.tracker.size).toBe(0);
  });

  it("hands a connection that opens with HTTP/2's preface to the HTTP/2 parser, never to HTTP/1", () => {
    const { pipeline, records } = makePipeline();
    const grpcClient = side({ tgid: CLIENT_PID, fd: 9, generation: 1 }, Role.Client);
    // Untagged, as for a connection the kernel saw no start of: the first bytes decide.
    const untagged = (event: KernelEvent) => ({ ...event, protocol: KernelProtocol.Unknown }) as KernelEvent;
    const recorded = loadHttp2Fixture("grpc-failing");
    pipeline.handleBatch([
      grpcClient.open(["127.0.0.1", 51000], ["127.0.0.1", 4770]),
      untagged(grpcClient.data(Direction.Egress, recorded.requests.toString("latin1"))),
      untagged(grpcClient.data(Direction.Ingress, recorded.responses.toString("latin1"))),
    ]);
    expect(records.map((r) => r.protocol)).toEqual(["grpc"]);
    expect(records[0]?.error).toBe(true);
    expect(pipeline.counters()).toMatchObject({ parseErrors: 0, streamGaps: 0 });
  });

  it("ignores connections that do not carry HTTP and evicts idle ones", () => {
    const { pipeline, records } = makePipeline();
    const other = side({ tgid: CLIENT_PID, fd: 8, generation: 1 }, Role.Client);
    const events: KernelEvent[] = [other.open(["127.0.0.1", 51000], ["127.0.0.1", 5432])];
    for (let index = 0; index < 10; index++) {
      const event = other.data(Direction.Egress, "\u0000\u0000\u0000\u0008binary");
      events.push({ ...event, protocol: KernelProtocol.Unknown });
    }
    pipeline.handleBatch(events);
    expect(records).toEqual([]);
    expect(pipeline.counters().parseErrors).toBe(0);
    pipeline.evictIdle(10_000_000_000n);
    expect(pipeline.tracker.size).toBe(0);
    expect(pipeline.counters().connectionsEvicted).toBe(1);
  });
});
