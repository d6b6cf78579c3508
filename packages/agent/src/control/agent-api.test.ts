import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgentApi, listenAgentApi } from "./agent-api.js";
import type { AgentStats } from "./agent-stats.js";
import { RuntimeControls } from "./runtime-controls.js";

const stats: AgentStats = {
  configVersion: 1,
  capture: { batches: 3, events: 30, capturedBytes: 1000, connectionsOpen: 2 },
  connectionsDisabled: 1,
  records: { emitted: 5, kept: 4, sampledOut: 1, exported: 4, dropped: 0 },
  sampling: { budgetPerSecond: 5000, uniformProbability: 1, traceProbability: 1 },
  metricSeries: { emitted: 6, sent: 6, dropped: 0 },
  threadParents: { inferred: 0, multiplexedThreads: 0, released: 0 },
  traceContextRejected: { malformed: 0, bad_version: 0, zero_id: 0 },
  exportBatches: { sent: 2, dropped: 0, rejected: 0 },
  backlog: {
    pendingBatches: 1,
    inFlightBatches: 1,
    oldestPendingAgeMs: 250,
    spoolBatches: 3,
    spoolBytes: 4096,
    spoolOldestAgeMs: 60_000,
  },
  spool: undefined,
  drops: { ringbuf_full: 7, sampled_out: 9 },
};

interface Body {
  version?: number;
  error?: string;
  field?: string;
  config?: unknown;
}
const json = async (res: Response | Promise<Response>) => (await (await res).json()) as Body;

describe("the agent's local HTTP API", () => {
  const server = createAgentApi({
    controls: new RuntimeControls({ setControls: () => {}, replaceFilter: () => {} }),
    stats: () => stats,
  });
  let base: string;

  beforeAll(async () => {
    const address: AddressInfo = await listenAgentApi(server, "127.0.0.1:0");
    base = `http://127.0.0.1:${address.port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it("serves the config, takes a new one, and bumps its version", async () => {
    const before = await json(fetch(`${base}/v1/config`));
    expect(before.version).toBe(0);
    const put = await fetch(`${base}/v1/config`, {
      method: "PUT",
      body: JSON.stringify({ protocols: { redis: false } }),
    });
    expect(put.status).toBe(200);
    expect(await json(put)).toEqual({ version: 1 });
    const after = await json(fetch(`${base}/v1/config`));
    expect(after).toMatchObject({ version: 1, config: { protocols: { redis: false, http: true } } });
  });

  it("answers 400 for the old protocol name http1, naming the field and the accepted names", async () => {
    const put = await fetch(`${base}/v1/config`, { method: "PUT", body: '{"protocols":{"http1":false}}' });
    expect(put.status).toBe(400);
    const body = await json(put);
    expect(body.field).toBe("protocols.http1");
    expect(body.error).toMatch(/^protocols\.http1: unknown field \(expected one of http, http2, postgres/);
  });

  it("answers 400 with the reason and the field for a bad config, and keeps the old one", async () => {
    const put = await fetch(`${base}/v1/config`, { method: "PUT", body: '{"sampling":{"keepOneIn":0}}' });
    expect(put.status).toBe(400);
    expect(await json(put)).toEqual({
      error: "sampling.keepOneIn: must be an integer from 1 to 1000000, got 0",
      field: "sampling.keepOneIn",
    });
    const notJson = await fetch(`${base}/v1/config`, { method: "PUT", body: "{" });
    expect(notJson.status).toBe(400);
    expect((await json(notJson)).error).toMatch(/^body is not JSON/);
    expect((await json(fetch(`${base}/v1/config`))).version).toBe(1);
  });

  it("serves stats as JSON and as Prometheus text", async () => {
    expect(await json(fetch(`${base}/v1/stats`))).toEqual(stats);
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.headers.get("content-type")).toBe("text/plain; version=0.0.4");
    const text = await metrics.text();
    expect(text).toContain("# TYPE periscope_agent_drops_total counter\n");
    expect(text).toContain('periscope_agent_drops_total{reason="sampled_out"} 9\n');
    expect(text).toContain("periscope_agent_records_total 5\n");
    expect(text).toContain("periscope_agent_kernel_batches_total 3\n");
    expect(text).toContain("periscope_agent_ringbuf_full_total 7\n");
    expect(text).toContain("periscope_agent_connections_tracked 2\n");
    expect(text).toContain("periscope_agent_records_sampled_out_total 1\n");
    expect(text).toContain('periscope_agent_export_backlog_batches{where="spool"} 3\n');
    expect(text).toContain('periscope_agent_export_backlog_oldest_age_seconds{where="spool"} 60\n');
    expect(text).toContain("periscope_agent_spool_bytes 4096\n");
    expect(text).toContain("periscope_agent_metric_series_sent_total 6\n");
    expect(text).toContain("periscope_agent_record_sampling_probability 1\n");
  });

  it("answers 404 and 405 for unknown routes and methods", async () => {
    expect((await fetch(`${base}/v2/nothing`)).status).toBe(404);
    expect((await fetch(`${base}/v1/stats`, { method: "DELETE" })).status).toBe(405);
  });
});
