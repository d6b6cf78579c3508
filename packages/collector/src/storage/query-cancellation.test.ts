// A query is cancelled when the HTTP client of the API gives up: the
// request's signal aborts on an early close only (http/query-cancellation.ts),
// and on the server backend the collector then closes its own connection to
// ClickHouse, whose cancel_http_readonly_queries_on_client_close=1 stops the
// SELECT there. (What chdb can do is in query-limits.test.ts.)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestRecord } from "../fixtures/ingest-client.js";
import { type CollectorUnderTest, startCollectorUnderTest } from "../http/fixtures/running-collector.js";
import { registerQueryCancellation } from "../http/query-cancellation.js";
import {
  type ClickHouseHttpStandIn,
  startClickHouseHttpStandIn,
} from "./fixtures/clickhouse-http-stand-in.js";
import { currentQuerySignal } from "./query-signal.js";

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("the request's query signal", () => {
  const app = Fastify();
  const seen: { path: string; signal: AbortSignal | undefined }[] = [];
  let base: string;

  beforeAll(async () => {
    registerQueryCancellation(app);
    app.get("/slow", async () => {
      const signal = currentQuerySignal();
      seen.push({ path: "slow", signal });
      await new Promise((resolve) => {
        signal?.addEventListener("abort", resolve, { once: true });
        setTimeout(resolve, 5_000);
      });
      return { done: true };
    });
    app.post("/fast", async (request) => {
      seen.push({ path: "fast", signal: currentQuerySignal() });
      return request.body;
    });
    base = await app.listen({ host: "127.0.0.1", port: 0 });
  });

  afterAll(async () => {
    await app.close();
  });

  it("aborts when the client disconnects before the answer", async () => {
    const client = new AbortController();
    const pending = fetch(`${base}/slow`, { signal: client.signal }).catch(() => "gave up");
    await waitFor(() => seen.some((s) => s.path === "slow"));
    client.abort();
    expect(await pending).toBe("gave up");
    const slow = seen.find((s) => s.path === "slow");
    await waitFor(() => slow?.signal?.aborted === true);
  });

  it("does not abort a request answered in full (a parsed body included)", async () => {
    const response = await fetch(`${base}/fast`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ a: 1 }),
    });
    expect(await response.json()).toEqual({ a: 1 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const fast = seen.find((s) => s.path === "fast");
    expect(fast?.signal).toBeDefined();
    expect(fast?.signal?.aborted).toBe(false);
  });
});

describe("a client giving up on the server backend", () => {
  let standInDir: string;
  let standIn: ClickHouseHttpStandIn;
  let collector: CollectorUnderTest;

  beforeAll(async () => {
    standInDir = mkdtempSync(join(tmpdir(), "periscope-cancel-standin-"));
    standIn = await startClickHouseHttpStandIn(standInDir);
    collector = await startCollectorUnderTest({ storageUrl: standIn.url });
  });

  afterAll(async () => {
    await collector?.close();
    await standIn?.close();
    rmSync(standInDir, { recursive: true, force: true });
  });

  it("closes the collector's connection to ClickHouse, is counted, and the collector keeps answering", async () => {
    const now = Date.now() - 10_000;
    const result = await collector.ingest.send({
      agentId: "cancel-agent",
      batchSeq: 1n,
      requests: [
        requestRecord({
          side: "server",
          startMs: now,
          durationMs: 1,
          client: { service: "web", ip: "10.0.0.1", port: 40_000 },
          server: { service: "api", ip: "10.0.0.2", port: 8080 },
        }),
      ],
    });
    expect(result.ok).toBe(true);

    // A slow server: the search's SELECT is answered only after 10 s.
    const isSearch = (query: string) => /^\s*SELECT/.test(query) && /\bFROM requests\b/.test(query);
    standIn.holdQueries(/^\s*SELECT[\s\S]*\bFROM requests\b/, 10_000);
    const seenBefore = standIn.seen.length;
    const client = new AbortController();
    const began = Date.now();
    const pending = fetch(
      `${collector.collector.httpUrl}/api/v1/requests?from=${now - 60_000}&to=${now + 60_000}`,
      {
        signal: client.signal,
      },
    ).catch(() => "gave up");
    await waitFor(() => standIn.seen.slice(seenBefore).some((seen) => isSearch(seen.query)));
    client.abort();
    expect(await pending).toBe("gave up");

    const search = standIn.seen.slice(seenBefore).find((seen) => isSearch(seen.query));
    await waitFor(() => search?.clientClosedEarly === true);
    // Long before the held answer: the collector did not wait for it.
    expect(Date.now() - began).toBeLessThan(8_000);
    expect(search?.settings.cancel_http_readonly_queries_on_client_close).toBe("1");
    standIn.holdQueries(null);

    expect((await collector.get("/api/v1/health")).status).toBe(200);
    const stats = await collector.get<{ guards: { queries: { cancelled: number } } }>("/api/v1/stats");
    expect(stats.body.guards.queries.cancelled).toBe(1);
    const metrics = await fetch(`${collector.collector.httpUrl}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/^periscope_queries_stopped_total\{reason="cancelled"\} 1$/m);
  });
});
