// The naming rules of service-naming.ts as the engine applies them: in the
// `requests` name columns the search filters on, and in the map's roll-ups.
// An internet client no agent named must not become a node of its own.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create, RequestRecordSchema, Side } from "@periscope/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metricSeries } from "../fixtures/metric-series.js";
import { toMetricSeriesRow } from "../ingest/metric-series-row.js";
import { toRequestRow } from "../ingest/request-row.js";
import { applyMigrations, loadMigrations } from "../storage/migrations.js";
import { openStorage, type Storage } from "../storage/storage.js";
import { queryServiceMap } from "./service-map-query.js";

let dataDir: string;
let storage: Storage;
const M = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "periscope-naming-"));
  storage = openStorage({ kind: "embedded", dataDir });
  await applyMigrations(storage, await loadMigrations({ retentionDays: 7 }));
});

afterAll(async () => {
  await storage.close();
  rmSync(dataDir, { recursive: true, force: true });
});

interface End {
  ip: string;
  port?: number;
  service?: string;
  processName?: string;
}

async function namesOf(
  client: End,
  server: End,
  attributes: Record<string, string> = {},
): Promise<{ client_name: string; server_name: string }> {
  const record = create(RequestRecordSchema, {
    protocol: "http",
    side: Side.SERVER,
    startTimeUnixNano: BigInt(M) * 1_000_000n,
    client: { ip: client.ip, port: client.port ?? 40_000, service: client.service ?? "" },
    server: {
      ip: server.ip,
      port: server.port ?? 8080,
      service: server.service ?? "",
      processName: server.processName ?? "",
    },
    attributes,
  });
  const agentId = `naming-${Math.random()}`;
  await storage.insertRows("requests", [toRequestRow(agentId, record)]);
  const [row] = await storage.select<{ client_name: string; server_name: string }>(
    "SELECT client_name, server_name FROM requests WHERE agent_id = {agent:String}",
    { agent: agentId },
  );
  if (row === undefined) throw new Error("row not stored");
  return row;
}

describe("request name columns", () => {
  const api = { ip: "10.0.0.2", service: "api" };

  it("keep an internal client's address and group an internet client per /24 (/48 for IPv6)", async () => {
    expect((await namesOf({ ip: "10.1.2.3" }, api)).client_name).toBe("10.1.2.3");
    expect((await namesOf({ ip: "127.5.6.7" }, api)).client_name).toBe("127.5.6.7");
    expect((await namesOf({ ip: "203.0.113.77" }, api)).client_name).toBe("203.0.113.0/24");
    expect((await namesOf({ ip: "2001:db8:1234:5678::9" }, api)).client_name).toBe("2001:db8:1234::/48");
    expect((await namesOf({ ip: "fd00::5" }, api)).client_name).toBe("fd00::5");
    expect((await namesOf({ ip: "" }, api)).client_name).toBe("");
  });

  it("name an unknown server by Host, else the agent's name, else its address (grouped when public)", async () => {
    const client = { ip: "10.0.0.1", service: "web" };
    expect((await namesOf(client, { ip: "10.0.0.9", port: 5432 })).server_name).toBe("10.0.0.9:5432");
    expect((await namesOf(client, { ip: "fd00::9", port: 443 })).server_name).toBe("[fd00::9]:443");
    expect((await namesOf(client, { ip: "198.51.100.20", port: 443 })).server_name).toBe("198.51.100.0/24");
    const named = await namesOf(
      client,
      { ip: "198.51.100.20", port: 443 },
      { "server.host": "api.example.com" },
    );
    expect(named.server_name).toBe("api.example.com");
    const host = await namesOf(
      client,
      { ip: "198.51.100.20", port: 443 },
      { "http.host": "shop.example.com", "server.host": "api.example.com" },
    );
    expect(host.server_name).toBe("shop.example.com");
  });

  it("prefer Kubernetes identity and process names over the agent's peer name", async () => {
    const byHost = await namesOf({ ip: "203.0.113.5" }, api, { "client.host": "crawler.example.net" });
    expect(byHost.client_name).toBe("crawler.example.net");
    const byWorkload = await namesOf({ ip: "10.4.0.7" }, api, {
      "client.host": "10.4.0.7",
      "k8s.client.workload": "checkout",
    });
    expect(byWorkload.client_name).toBe("checkout");
  });
});

describe("the map over metric series", () => {
  it("shows 1,000 internet clients of one server as the /24 blocks they come from", async () => {
    const series = Array.from({ length: 1_000 }, (_, i) =>
      metricSeries({
        kind: "edge",
        side: "server",
        startMs: M,
        // Four /24 blocks; no agent named these clients (an agent from before peer naming).
        client: { ip: `198.18.${i % 4}.${Math.floor(i / 4)}`, port: 50_000 },
        server: { ip: "10.0.0.2", port: 443, service: "edge-proxy" },
        durationsMs: [1],
      }),
    );
    await storage.insertRows(
      "metric_series",
      series.map((s) => toMetricSeriesRow("agent-old", s)),
    );
    const map = await queryServiceMap(storage, { range: { fromMs: M - 60_000, toMs: M + 120_000 } });
    const callers = map.edges.filter((edge) => edge.target === "edge-proxy");
    expect(callers.map((edge) => edge.source).sort()).toEqual([
      "198.18.0.0/24",
      "198.18.1.0/24",
      "198.18.2.0/24",
      "198.18.3.0/24",
    ]);
    expect(callers.reduce((sum, edge) => sum + edge.requestCount, 0)).toBe(1_000);
    expect(map.nodes.find((node) => node.id === "198.18.0.0/24")?.kind).toBe("external");
  });

  it("names a client by the host the agent sent with its series", async () => {
    await storage.insertRows("metric_series", [
      toMetricSeriesRow(
        "agent-new",
        metricSeries({
          kind: "edge",
          side: "server",
          startMs: M,
          client: { ip: "", port: 0 },
          clientHost: "{overflow}",
          server: { ip: "10.0.0.3", port: 443, service: "billing" },
          durationsMs: [2, 2],
        }),
      ),
    ]);
    const map = await queryServiceMap(storage, { range: { fromMs: M - 60_000, toMs: M + 120_000 } });
    const edge = map.edges.find((e) => e.target === "billing");
    expect(edge?.source).toBe("{overflow}");
    expect(edge?.requestCount).toBe(2);
  });
});
