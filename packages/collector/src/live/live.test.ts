// The live feed through a real collector: ingest over gRPC, read the SSE stream over HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metricSeries } from "../fixtures/metric-series.js";
import {
  type CollectorUnderTest,
  call,
  startCollectorUnderTest,
} from "../http/fixtures/running-collector.js";
import { SseReader } from "./fixtures/sse-reader.js";
import type { LiveMapEvent, LiveRequestsEvent } from "./live-events.js";

const web = { service: "web", ip: "10.5.0.1", port: 40000 };
const api = { service: "api", ip: "10.5.0.2", port: 8080 };
const nowNs = () => BigInt(Date.now()) * 1_000_000n;

let t: CollectorUnderTest;
beforeAll(async () => {
  t = await startCollectorUnderTest();
});
afterAll(() => t?.close());

describe("GET /api/v1/live", () => {
  it("pushes newly stored requests and the map edges they touched", async () => {
    const reader = await SseReader.open(`${t.collector.httpUrl}/api/v1/live?topics=requests,map`);
    expect(reader.response.statusCode).toBe(200);
    expect(reader.response.headers["content-type"]).toMatch(/^text\/event-stream/);
    expect((await reader.next((e) => e.event === "hello")).data).toEqual({ topics: ["requests", "map"] });

    const requests = [
      call({ side: "client", timeNs: nowNs(), client: web, server: api, target: "/live/1" }),
      call({
        side: "client",
        timeNs: nowNs() + 1n,
        client: web,
        server: api,
        target: "/live/2",
        error: true,
        status: 500,
      }),
      call({ side: "server", timeNs: nowNs() + 2n, client: web, server: api, target: "/live/2" }),
    ];
    // The map reads the agent's metric series, which come with the records.
    const metrics = [
      metricSeries({
        kind: "edge",
        side: "client",
        startMs: Date.now(),
        durationsMs: [1],
        client: web,
        server: api,
      }),
    ];
    expect(await t.ingest.send({ agentId: "node-live", requests, metrics })).toMatchObject({ ok: true });

    const pushed = (await reader.next((e) => e.event === "requests")).data as LiveRequestsEvent;
    expect(pushed.omitted).toBe(0);
    expect(pushed.requests.map((r) => [r.target, r.side, r.agentId])).toEqual([
      ["/live/2", "server", "node-live"],
      ["/live/2", "client", "node-live"],
      ["/live/1", "client", "node-live"],
    ]);
    // The same ids search gives, so a live row opens its detail directly.
    const searched = await t.get<{ requests: { id: string }[] }>(
      "/api/v1/requests?service=web&observations=all",
    );
    expect(pushed.requests.map((r) => r.id)).toEqual(searched.body.requests.map((r) => r.id));
    const map = (await reader.next((e) => e.event === "map")).data as LiveMapEvent;
    // The call seen at both ends counts once, and the edge id is the one the map uses.
    expect(map.edges).toEqual([
      { id: "web->api", source: "web", target: "api", protocols: ["http"], requests: 2, errors: 1 },
    ]);
    const { body } = await t.get<{ edges: { id: string }[] }>("/api/v1/map");
    expect(body.edges.map((e) => e.id)).toContain("web->api");
    reader.close();
  });

  it("sends only the topics asked for", async () => {
    const reader = await SseReader.open(`${t.collector.httpUrl}/api/v1/live?topics=map`);
    await reader.next((e) => e.event === "hello");
    const request = call({ side: "client", timeNs: nowNs(), client: web, server: { ...api, service: "db" } });
    expect(await t.ingest.send({ agentId: "node-live", requests: [request] })).toMatchObject({ ok: true });
    const map = (await reader.next((e) => e.event === "map")).data as LiveMapEvent;
    expect(map.edges.map((e) => e.id)).toEqual(["web->db"]);
    // Requests and map changes of one flush go out together; none of them was a requests event.
    expect(reader.events.map((e) => e.event)).toEqual(["hello", "map"]);
    reader.close();
  });

  it("refuses unknown topics with a 400", async () => {
    const { status, body } = await t.get<{ error: { message: string } }>("/api/v1/live?topics=requests,logs");
    expect(status).toBe(400);
    expect(body.error.message).toMatch(/topics must match pattern/);
  });
});
