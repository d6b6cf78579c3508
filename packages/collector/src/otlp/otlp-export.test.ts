// OTLP export through a real collector to a local OTLP/HTTP receiver that
// decodes every request with OpenTelemetry's published definitions
// (otlp-proto/, generated into gen/): spans from request records, metrics
// from RED series; a receiver that is down loses nothing until the queue's
// bound and then counts what it drops; a receiver that refuses is counted.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fromBinary } from "@bufbuild/protobuf";
import { LATENCY_SCALE, LatencyHistogram } from "@periscope/proto";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { edgeAndEndpointSeries } from "../fixtures/metric-series.js";
import {
  type CollectorUnderTest,
  call,
  startCollectorUnderTest,
} from "../http/fixtures/running-collector.js";
import {
  type ExportMetricsServiceRequest,
  ExportMetricsServiceRequestSchema,
} from "./gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js";
import {
  type ExportTraceServiceRequest,
  ExportTraceServiceRequestSchema,
} from "./gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import type { KeyValue } from "./gen/opentelemetry/proto/common/v1/common_pb.js";
import { type Span, Span_SpanKind, Status_StatusCode } from "./gen/opentelemetry/proto/trace/v1/trace_pb.js";

interface Receiver {
  url: string;
  traces: ExportTraceServiceRequest[];
  metrics: ExportMetricsServiceRequest[];
  /** What the receiver answers: 200, or a failure status. */
  status: number;
  contentTypes: string[];
  close(): Promise<void>;
}

async function startReceiver(port = 0): Promise<Receiver> {
  const receiver = { traces: [], metrics: [], status: 200, contentTypes: [] } as unknown as Receiver;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      receiver.contentTypes.push(request.headers["content-type"] ?? "");
      if (receiver.status !== 200) {
        response.writeHead(receiver.status).end();
        return;
      }
      const body = Buffer.concat(chunks);
      if (request.url === "/v1/traces")
        receiver.traces.push(fromBinary(ExportTraceServiceRequestSchema, body));
      else if (request.url === "/v1/metrics")
        receiver.metrics.push(fromBinary(ExportMetricsServiceRequestSchema, body));
      response.writeHead(200, { "content-type": "application/x-protobuf" }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return receiver;
}

const attribute = (attributes: KeyValue[], key: string) => {
  const value = attributes.find((a) => a.key === key)?.value?.value;
  return value?.case === "intValue" ? Number(value.value) : value?.value;
};
const spansOf = (receiver: Receiver) =>
  receiver.traces.flatMap((request) =>
    request.resourceSpans.flatMap((resource) =>
      resource.scopeSpans.flatMap((scope) =>
        scope.spans.map((span) => ({
          span,
          service: attribute(resource.resource?.attributes ?? [], "service.name"),
        })),
      ),
    ),
  );
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

async function until<T>(what: string, check: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALL_SPAN = "00f067aa0ba902b7";
const PARENT = "1111111111111111";
const nowMs = Date.now();
const at = (offsetMs: number) => BigInt(nowMs - 30_000 + offsetMs) * 1_000_000n;

let t: CollectorUnderTest | undefined;
const receivers: Receiver[] = [];

afterEach(async () => {
  await t?.close();
  t = undefined;
});
afterAll(async () => {
  for (const receiver of receivers) await receiver.close();
});

describe("OTLP export", () => {
  it("sends a traced call's two ends as a client span and its server child, named by the route, with OTel status rules", async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    t = await startCollectorUnderTest({ otlpEndpoint: receiver.url });
    const web = { service: "shop/web", ip: "10.2.0.1", port: 40100 };
    const api = { service: "shop/api", ip: "10.2.0.2", port: 8080 };
    const traced = { traceId: TRACE, spanId: CALL_SPAN, parentSpanId: PARENT, target: "/users/1057?full=1" };
    const requests = [
      call({ ...traced, side: "client", timeNs: at(0), durationMs: 12, client: web, server: api }),
      call({
        ...traced,
        parentSpanId: "",
        side: "server",
        timeNs: at(1),
        durationMs: 10,
        client: web,
        server: api,
      }),
      call({ side: "server", timeNs: at(5), client: web, server: api, target: "/missing", status: 404 }),
      call({
        side: "client",
        timeNs: at(6),
        client: web,
        server: api,
        target: "/boom",
        status: 503,
        error: true,
      }),
      call({
        side: "client",
        protocol: "postgres",
        operation: "SELECT",
        target: "SELECT * FROM users WHERE id = $1",
        status: 0,
        timeNs: at(7),
        client: api,
        server: { ip: "10.2.0.9", port: 5432 },
      }),
    ];
    const metrics = edgeAndEndpointSeries({
      side: "client",
      startMs: nowMs - 30_000,
      client: web,
      server: api,
      durationsMs: [1, 2, 3, 250],
      errors: 1,
    });
    expect(await t.ingest.send({ agentId: "node-otlp", requests, metrics })).toMatchObject({ ok: true });

    const spans = await until("five spans", () =>
      spansOf(receiver).length >= 5 ? spansOf(receiver) : undefined,
    );
    expect(spans).toHaveLength(5);
    expect(new Set(receiver.contentTypes)).toEqual(new Set(["application/x-protobuf"]));
    const [client, server] = [Span_SpanKind.CLIENT, Span_SpanKind.SERVER].map(
      (kind) =>
        spans.find(({ span }) => span.kind === kind && hex(span.traceId) === TRACE) as {
          span: Span;
          service: unknown;
        },
    );
    expect(client?.service).toBe("shop/web");
    expect(server?.service).toBe("shop/api");
    expect(client?.span.name).toBe("GET /users/{id}");
    expect([hex(client?.span.spanId as Uint8Array), hex(client?.span.parentSpanId as Uint8Array)]).toEqual([
      CALL_SPAN,
      PARENT,
    ]);
    expect(hex(server?.span.parentSpanId as Uint8Array)).toBe(CALL_SPAN);
    expect(hex(server?.span.spanId as Uint8Array)).not.toBe(CALL_SPAN);
    expect((client?.span.endTimeUnixNano ?? 0n) - (client?.span.startTimeUnixNano ?? 0n)).toBe(12_000_000n);
    expect(attribute(client?.span.attributes ?? [], "http.response.status_code")).toBe(200);
    expect(attribute(client?.span.attributes ?? [], "url.path")).toBe("/users/1057");

    const byName = new Map(spans.map(({ span }) => [span.name, span]));
    expect(byName.get("GET /missing")?.status?.code).toBe(Status_StatusCode.UNSET);
    expect(byName.get("GET /boom")?.status).toMatchObject({
      code: Status_StatusCode.ERROR,
      message: "status 503",
    });
    const query = byName.get("SELECT");
    expect(attribute(query?.attributes ?? [], "db.system.name")).toBe("postgresql");
    expect(attribute(query?.attributes ?? [], "db.query.text")).toBe("SELECT * FROM users WHERE id = $1");
    // Untraced records are traces of their own, with ids of 16 and 8 bytes.
    expect(query?.traceId).toHaveLength(16);
    expect(query?.spanId).toHaveLength(8);

    // The series: counts and the latency histogram bucket for bucket.
    const exported = await until("the series", () =>
      receiver.metrics.length > 0 ? receiver.metrics : undefined,
    );
    const all = exported.flatMap((request) =>
      request.resourceMetrics.flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics)),
    );
    const requestsPoints = all
      .filter((m) => m.name === "periscope.requests")
      .flatMap((m) => (m.data.case === "sum" ? m.data.value.dataPoints : []));
    expect(requestsPoints.map((p) => (p.value.case === "asInt" ? p.value.value : 0n))).toEqual([4n, 4n]);
    const errors = all
      .filter((m) => m.name === "periscope.request.errors")
      .flatMap((m) => (m.data.case === "sum" ? m.data.value.dataPoints : []));
    expect(errors.map((p) => (p.value.case === "asInt" ? p.value.value : 0n))).toEqual([1n, 1n]);
    const [histogram] = all
      .filter((m) => m.name === "periscope.request.duration")
      .flatMap((m) => (m.data.case === "exponentialHistogram" ? m.data.value.dataPoints : []));
    const expected = new LatencyHistogram();
    for (const ms of [1, 2, 3, 250]) expected.record(ms * 1_000_000);
    const message = expected.toMessage();
    expect(histogram).toMatchObject({ count: 4n, scale: LATENCY_SCALE, sum: 256_000_000 });
    // Both dense from an offset; compared as (index, count) pairs of the non-empty buckets.
    const pairs = (offset: number, counts: readonly bigint[]) =>
      counts.flatMap((count, i) => (count === 0n ? [] : [[offset + i, Number(count)]]));
    expect(pairs(histogram?.positive?.offset ?? 0, histogram?.positive?.bucketCounts ?? [])).toEqual(
      pairs(message.offset, message.bucketCounts),
    );
  });

  it("keeps spans while the receiver is down, up to the queue's bound, counts the rest, and sends them when it is back", async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    receiver.status = 503;
    t = await startCollectorUnderTest({ otlpEndpoint: receiver.url, otlpQueueItems: 1_000 });
    const requests = Array.from({ length: 1_500 }, (_, i) =>
      call({
        side: "server",
        timeNs: at(i),
        target: `/outage/${i}`,
        server: { service: "api", ip: "10.3.0.2", port: 80 },
      }),
    );
    for (let i = 0; i < 3; i++) {
      const part = requests.slice(i * 500, (i + 1) * 500);
      expect(
        await t.ingest.send({ agentId: "node-down", batchSeq: BigInt(i + 1), requests: part }),
      ).toMatchObject({ ok: true });
    }
    type Stats = {
      otlp: {
        traces: { exported: number; queued: number; retries: number; dropped: Record<string, number> };
      };
    };
    const stats = async () => (await (t as CollectorUnderTest).get<Stats>("/api/v1/stats")).body.otlp.traces;
    // The first try and a retry have failed by now; the bound has been reached.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await stats()).toMatchObject({
      exported: 0,
      queued: 1_000,
      dropped: { queue_full: 500, rejected: 0 },
    });
    expect((await stats()).retries).toBeGreaterThan(0);

    receiver.status = 200;
    const back = await until(
      "the queue to drain",
      () => (spansOf(receiver).length >= 1_000 ? true : undefined),
      40_000,
    );
    expect(back).toBe(true);
    expect(spansOf(receiver)).toHaveLength(1_000);
    expect(await stats()).toMatchObject({
      exported: 1_000,
      queued: 0,
      dropped: { queue_full: 500, rejected: 0 },
    });
    const metricsText = await (await fetch(`${t.collector.httpUrl}/metrics`)).text();
    expect(metricsText).toMatch(/periscope_otlp_dropped_total\{signal="traces",reason="queue_full"\} 500/);
  }, 60_000);

  it("counts what a receiver refuses, and goes on", async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    receiver.status = 400;
    t = await startCollectorUnderTest({ otlpEndpoint: receiver.url });
    const requests = [
      call({ side: "server", timeNs: at(0), server: { service: "api", ip: "10.4.0.2", port: 80 } }),
    ];
    expect(await t.ingest.send({ agentId: "node-refused", requests })).toMatchObject({ ok: true });
    type Stats = { otlp: { traces: { dropped: Record<string, number>; lastError: string } } };
    const stats = async () => (await (t as CollectorUnderTest).get<Stats>("/api/v1/stats")).body.otlp.traces;
    const deadline = Date.now() + 10_000;
    while ((await stats()).dropped.rejected === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(await stats()).toMatchObject({
      dropped: { rejected: 1, queue_full: 0 },
      lastError: expect.stringContaining("HTTP 400"),
    });
  });
});
