// Request search, pagination and detail over the embedded engine, through
// real gRPC ingest and real HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CollectorUnderTest,
  call,
  startCollectorUnderTest,
} from "../../../../http/fixtures/running-collector.js";
import type { RequestDetailView, RequestView } from "../../../../query/request-view.js";

type Page = { requests: RequestView[]; nextCursor: string | null };
type ApiError = { error: { code: string; message: string } };

const web = { service: "web", ip: "10.2.0.1", port: 40001 };
const api = { service: "api", ip: "10.2.0.2", port: 8080 };
const db = { service: "db", ip: "10.2.0.3", port: 5432 };
const baseNs = BigInt(Date.now() - 120_000) * 1_000_000n;

let t: CollectorUnderTest;
const allRange = `from=${Date.now() - 600_000}&to=${Date.now() + 60_000}`;

beforeAll(async () => {
  t = await startCollectorUnderTest();
  // 12 calls in one nanosecond (ties) and 20 spread out: web -> api.
  const ties = Array.from({ length: 12 }, (_, i) =>
    call({ side: "client", timeNs: baseNs, client: web, server: api, target: `/tie/${i}` }),
  );
  const spread = Array.from({ length: 20 }, (_, i) =>
    call({
      side: "client",
      timeNs: baseNs + BigInt(i + 1) * 1_000_000n,
      durationMs: i + 1,
      client: web,
      server: api,
      operation: i % 2 === 0 ? "GET" : "POST",
      target: `/Orders/${i}`,
      status: i === 7 ? 503 : 200,
      error: i === 7,
    }),
  );
  // api -> db, seen at both ends, with attributes on the server side.
  const both = [
    call({
      side: "client",
      protocol: "postgres",
      timeNs: baseNs + 50_000_000n,
      durationMs: 4,
      client: { ...api, port: 50500 },
      server: db,
      operation: "SELECT",
      target: "SELECT * FROM users WHERE id = $1",
      traceId: "0af7651916cd43dd8448eb211c80319c",
      attributes: { "db.user": "app" },
    }),
    call({
      side: "server",
      protocol: "postgres",
      timeNs: baseNs + 50_000_100n,
      durationMs: 3.5,
      client: { ...api, port: 50500 },
      server: db,
      operation: "SELECT",
      target: "SELECT * FROM users WHERE id = $1",
      traceId: "0af7651916cd43dd8448eb211c80319c",
      attributes: { "db.name": "shop" },
    }),
  ];
  // shop -> stock: 30 calls seen at both ends, then 3 seen only by the server.
  const shop = { service: "shop", ip: "10.2.0.7", port: 41000 };
  const stock = { service: "stock", ip: "10.2.0.8", port: 9000 };
  const shopCalls = Array.from({ length: 30 }, (_, i) => {
    const timeNs = baseNs - BigInt(i + 1) * 1_000_000n;
    return [
      call({ side: "client", timeNs, client: shop, server: stock, target: `/s/${i}` }),
      call({ side: "server", timeNs: timeNs + 500n, client: shop, server: stock, target: `/s/${i}` }),
    ];
  }).flat();
  const serverOnly = Array.from({ length: 3 }, (_, i) =>
    call({
      side: "server",
      timeNs: baseNs - BigInt(40 + i) * 1_000_000n,
      client: { ...shop, port: 41001 },
      server: stock,
      target: `/untraced-client/${i}`,
    }),
  );
  const result = await t.ingest.send({
    agentId: "node-a",
    batchSeq: 1n,
    requests: [...ties, ...spread, ...both, ...shopCalls, ...serverOnly],
  });
  expect(result).toMatchObject({ ok: true, response: { accepted: 97 } });
});

afterAll(() => t?.close());

async function search(query: string): Promise<Page> {
  const { status, body } = await t.get<Page>(`/api/v1/requests?${allRange}&${query}`);
  expect(status).toBe(200);
  return body;
}

describe("pagination", () => {
  it("walks every page without losing or repeating a request, ties included", async () => {
    const whole = await search("service=web&limit=1000");
    expect(whole.requests).toHaveLength(32);
    expect(whole.nextCursor).toBeNull();

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await search(`service=web&limit=5${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.requests.map((r) => r.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null);
    expect(pages).toBe(7);
    expect(new Set(seen).size).toBe(32);
    expect(seen).toEqual(whole.requests.map((r) => r.id));
    const tieTargets = whole.requests.filter((r) => r.target.startsWith("/tie/")).map((r) => r.target);
    expect(new Set(tieTargets).size).toBe(12);
  });

  it("lists each call once across pages when both ends were traced, and server-only calls too", async () => {
    const targets: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await search(`service=stock&limit=4${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.requests.length).toBeLessThanOrEqual(4);
      targets.push(...page.requests.map((r) => `${r.side} ${r.target}`));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(targets).toEqual([
      ...Array.from({ length: 30 }, (_, i) => `client /s/${i}`),
      ...Array.from({ length: 3 }, (_, i) => `server /untraced-client/${i}`),
    ]);
  });

  it("orders newest first", async () => {
    const { requests } = await search("service=web&limit=1000");
    const times = requests.map((r) => BigInt(r.timeUnixNano));
    expect(times).toEqual([...times].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
  });

  it.each(["garbage!", "bm90LWEtY3Vyc29y", Buffer.from("r1:12:x").toString("base64url")])(
    "refuses cursor %s with a 400",
    async (cursor) => {
      const { status, body } = await t.get<ApiError>(`/api/v1/requests?cursor=${encodeURIComponent(cursor)}`);
      expect(status).toBe(400);
      expect(body.error.message).toMatch(/cursor/);
    },
  );
});

describe("filters", () => {
  it("peer narrows to calls between two services, in either direction", async () => {
    const toDb = await search("service=api&peer=db");
    expect(toDb.requests.map((r) => r.protocol)).toEqual(["postgres"]);
    const reversed = await search("service=db&peer=api");
    expect(reversed.requests.map((r) => r.id)).toEqual(toDb.requests.map((r) => r.id));
    expect((await search("service=web&peer=db")).requests).toEqual([]);
  });

  it("matches operation exactly and target text case-insensitively", async () => {
    const posts = await search("operation=POST");
    expect(posts.requests).toHaveLength(10);
    expect(posts.requests.every((r) => r.operation === "POST")).toBe(true);
    const orders = await search("target=orders/1");
    expect(orders.requests.map((r) => r.target).sort()).toEqual(
      ["/Orders/1", ...Array.from({ length: 10 }, (_, i) => `/Orders/1${i}`)].sort(),
    );
  });

  it("filters by status, error and latency bounds", async () => {
    expect((await search("status=503")).requests.map((r) => r.target)).toEqual(["/Orders/7"]);
    expect((await search("error=true")).requests.map((r) => r.target)).toEqual(["/Orders/7"]);
    const slow = await search("service=web&minDurationMs=18&maxDurationMs=19.5");
    expect(slow.requests.map((r) => r.durationMs)).toEqual([19, 18]);
    expect((await search("protocol=http&minDurationMs=20")).requests.map((r) => r.target)).toEqual([
      "/Orders/19",
    ]);
  });

  it("finds a trace's requests by trace id, and both observations with observations=all", async () => {
    const one = await search("traceId=0AF7651916CD43DD8448EB211C80319C");
    expect(one.requests.map((r) => r.side)).toEqual(["client"]);
    const all = await search("traceId=0af7651916cd43dd8448eb211c80319c&observations=all");
    expect(all.requests.map((r) => r.side).sort()).toEqual(["client", "server"]);
  });

  it("treats blank filters as absent", async () => {
    const blank = await search(
      "service=&peer=&operation=&target=&status=&error=&minDurationMs=&traceId=&cursor=",
    );
    expect(blank.requests).toHaveLength(66);
  });

  const bad: [string, RegExp][] = [
    ["status=abc", /status must match pattern/],
    ["minDurationMs=-1", /minDurationMs must match pattern/],
    ["minDurationMs=10&maxDurationMs=5", /minDurationMs must not exceed maxDurationMs/],
    ["traceId=xyz", /traceId must match pattern/],
    ["error=maybe", /error must be one of true, false/],
    ["status=99999999999", /status must/],
  ];
  it.each(bad)("%s is a 400 with a clear message", async (query, message) => {
    const { status, body } = await t.get<ApiError>(`/api/v1/requests?${query}`);
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: "bad_request" });
    expect(body.error.message).toMatch(message);
  });
});

describe("GET /api/v1/requests/:id", () => {
  it("returns the full row with attributes and the other end's observation", async () => {
    const [listed] = (await search("protocol=postgres")).requests;
    expect(listed?.side).toBe("client");
    const { status, body } = await t.get<{ request: RequestDetailView; observations: RequestDetailView[] }>(
      `/api/v1/requests/${listed?.id}`,
    );
    expect(status).toBe(200);
    expect(body.request).toMatchObject({
      id: listed?.id,
      side: "client",
      attributes: { "db.user": "app" },
      truncated: false,
      target: "SELECT * FROM users WHERE id = $1",
      durationMs: 4,
    });
    expect(body.observations.map((o) => [o.side, o.attributes, o.durationMs])).toEqual([
      ["client", { "db.user": "app" }, 4],
      ["server", { "db.name": "shop" }, 3.5],
    ]);
  });

  it("returns a single observation when only one end was traced", async () => {
    const [listed] = (await search("status=503")).requests;
    const { body } = await t.get<{ observations: RequestDetailView[] }>(`/api/v1/requests/${listed?.id}`);
    expect(body.observations.map((o) => o.target)).toEqual(["/Orders/7"]);
  });

  it("answers 400 for a malformed id and 404 for an unknown one", async () => {
    const malformed = await t.get<ApiError>("/api/v1/requests/not-an-id");
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(/not a request id/);
    const unknown = await t.get<ApiError>(`/api/v1/requests/${baseNs}-0123456789abcdef`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("not_found");
  });
});

describe("sampling", () => {
  it("gives each record its weight and says when a page was sampled, and by how much (an estimate)", async () => {
    const edge = { service: "edge-sampled", ip: "10.2.0.9", port: 41500 };
    const weights = [0, 4, 10];
    const result = await t.ingest.send({
      agentId: "node-b",
      batchSeq: 1n,
      requests: weights.map((sampleWeight, i) => ({
        ...call({ side: "client", timeNs: baseNs + BigInt(i), client: edge, server: api, target: `/w/${i}` }),
        sampleWeight,
      })),
    });
    expect(result).toMatchObject({ ok: true });
    const sampled = await t.get<Page & { sampling: unknown }>(
      `/api/v1/requests?${allRange}&service=edge-sampled`,
    );
    expect(sampled.body.requests.map((r) => r.sampleWeight).sort((a, b) => a - b)).toEqual([1, 4, 10]);
    expect(sampled.body.sampling).toEqual({
      sampled: true,
      records: 3,
      estimatedRequests: 15,
      maxSampleWeight: 10,
    });
    const whole = await t.get<Page & { sampling: unknown }>(
      `/api/v1/requests?${allRange}&service=web&limit=5`,
    );
    expect(whole.body.sampling).toEqual({
      sampled: false,
      records: 5,
      estimatedRequests: 5,
      maxSampleWeight: 1,
    });
  });
});

describe("containers", () => {
  it("stores each end's container id and returns it in the list and the detail", async () => {
    const clientContainer = "3f4e5d6c7b8a99887766554433221100ffeeddccbbaa00112233445566778899";
    const serverContainer = "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00";
    const record = call({
      side: "client",
      timeNs: baseNs + 70_000_000n,
      client: { service: "boxed-client", ip: "10.2.0.20", port: 42000 },
      server: { service: "boxed-server", ip: "10.2.0.21", port: 8443 },
      target: "/in-a-container",
    });
    if (record.client === undefined || record.server === undefined) throw new Error("call() sets both ends");
    record.client.containerId = clientContainer;
    record.server.containerId = serverContainer;
    const bare = call({
      side: "client",
      timeNs: baseNs + 70_000_001n,
      client: { service: "boxed-client", ip: "10.2.0.20", port: 42001 },
      server: { service: "bare-server", ip: "10.2.0.22", port: 80 },
      target: "/on-the-host",
    });
    expect(await t.ingest.send({ agentId: "node-c", batchSeq: 1n, requests: [record, bare] })).toMatchObject({
      ok: true,
      response: { accepted: 2 },
    });

    const listed = (await search("service=boxed-client")).requests;
    expect(listed.map((r) => [r.target, r.client.containerId, r.server.containerId])).toEqual([
      ["/on-the-host", "", ""],
      ["/in-a-container", clientContainer, serverContainer],
    ]);
    const { status, body } = await t.get<{ request: RequestDetailView; observations: RequestDetailView[] }>(
      `/api/v1/requests/${listed[1]?.id}`,
    );
    expect(status).toBe(200);
    expect(body.request.client.containerId).toBe(clientContainer);
    expect(body.request.server.containerId).toBe(serverContainer);
    expect(body.observations.map((o) => o.server.containerId)).toEqual([serverContainer]);
  });
});
