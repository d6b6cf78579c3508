// A whole collector watching a stand-in API server: records and metric series
// sent over real gRPC with container ids and pod IPs come out of the HTTP API
// named and filterable the Kubernetes way.
import { create, EndpointSchema, RequestRecordSchema, Side } from "@periscope/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metricSeries } from "../fixtures/metric-series.js";
import { type CollectorUnderTest, startCollectorUnderTest } from "../http/fixtures/running-collector.js";
import type { RequestView } from "../query/request-view.js";
import { fixture, type ResourceScript, StandInApiServer } from "./fixtures/stand-in-api-server.js";

const ids = fixture<Record<string, string>>("container-ids.json");
const LISTED: [string, string][] = [
  ["/api/v1/pods", "pods-list-1.json"],
  ["/api/v1/services", "services-list-1.json"],
  ["/apis/discovery.k8s.io/v1/endpointslices", "endpointslices-list.json"],
  ["/apis/apps/v1/replicasets", "replicasets-list.json"],
  ["/apis/apps/v1/deployments", "deployments-list.json"],
  ["/apis/apps/v1/statefulsets", "statefulsets-list.json"],
  ["/apis/apps/v1/daemonsets", "daemonsets-list.json"],
  ["/apis/batch/v1/jobs", "jobs-list.json"],
  ["/apis/batch/v1/cronjobs", "cronjobs-list.json"],
  ["/api/v1/nodes", "nodes-list.json"],
];

// Pods of pods-list-1.json: two replicas of Deployment shop/checkout, StatefulSet pod shop/cart-0, bare pod default/debug.
const X7K2P = { ip: "10.244.1.12", containerId: ids["checkout-x7k2p"] ?? "" };
const Q9W8E = { ip: "10.244.2.15", containerId: ids["checkout-q9w8e"] ?? "" };
const CART = { ip: "10.244.2.7", containerId: ids["cart-0"] ?? "" };
const DEBUG = { ip: "10.244.2.9", containerId: ids.debug ?? "" };
const CHECKOUT_CLUSTER_IP = "10.96.14.20";
// kube-system/kube-proxy-8xz4q (DaemonSet kube-proxy) runs on worker-1's host network: its IP is the node's.
const KUBE_PROXY = { ip: "10.0.0.11", containerId: ids["kube-proxy"] ?? "" };
const WORKER_1_IP = "10.0.0.11";

const now = Date.now();
const range = `from=${now - 600_000}&to=${now + 60_000}`;

function local(end: { ip: string; containerId: string }, port: number, process: string) {
  return create(EndpointSchema, {
    ip: end.ip,
    port,
    pid: 100,
    processName: process,
    service: process,
    containerId: end.containerId,
  });
}
const remote = (ip: string, port: number) => create(EndpointSchema, { ip, port });

function record(
  side: Side,
  client: ReturnType<typeof local>,
  server: ReturnType<typeof local>,
  target: string,
  startMs = now - 60_000,
) {
  return create(RequestRecordSchema, {
    protocol: "http",
    side,
    startTimeUnixNano: BigInt(startMs) * 1_000_000n,
    durationNano: 2_000_000n,
    client,
    server,
    operation: "GET",
    target,
    status: 200,
  });
}

describe("the API speaks Kubernetes", () => {
  let api: StandInApiServer;
  let t: CollectorUnderTest;

  beforeAll(async () => {
    api = new StandInApiServer(
      new Map<string, ResourceScript>(
        LISTED.map(([path, file]) => [path, { lists: [fixture(file)], watches: [] }]),
      ),
    );
    await api.start();
    t = await startCollectorUnderTest({ kubernetesApiUrl: api.url });
    const result = await t.ingest.send({
      agentId: "worker-1",
      requests: [
        // Seen by each checkout replica's agent: calls to cart-0 (a headless Service: its pod IP).
        record(Side.CLIENT, local(X7K2P, 41000, "node"), remote(CART.ip, 8080), "/cart/1"),
        record(Side.CLIENT, local(Q9W8E, 41001, "node"), remote(CART.ip, 8080), "/cart/2"),
        // Seen by cart-0's agent.
        record(Side.SERVER, remote(Q9W8E.ip, 41001), local(CART, 8080, "cart"), "/cart/2"),
        // debug calls the checkout Service's ClusterIP.
        record(Side.CLIENT, local(DEBUG, 52000, "curl"), remote(CHECKOUT_CLUSTER_IP, 80), "/checkout"),
      ],
      metrics: [
        ...[X7K2P, Q9W8E].map((replica) =>
          metricSeries({
            kind: "edge",
            side: "client",
            startMs: now - 60_000,
            client: { ip: replica.ip, port: 0, service: "node" },
            server: { ip: CART.ip, port: 8080 },
            durationsMs: [1, 2, 3],
          }),
        ),
        metricSeries({
          kind: "edge",
          side: "client",
          startMs: now - 60_000,
          client: { ip: DEBUG.ip, port: 0, service: "curl" },
          server: { ip: CHECKOUT_CLUSTER_IP, port: 80 },
          durationsMs: [5],
        }),
      ],
    });
    expect(result.ok).toBe(true);
  });

  afterAll(async () => {
    await t?.close();
    await api?.stop();
  });

  const search = async (query: string) => {
    const response = await t.get<{ requests: RequestView[] }>(
      `/api/v1/requests?${range}&observations=all&${query}`,
    );
    expect(response.status).toBe(200);
    return response.body.requests;
  };

  it("names each end namespace/workload (a ClusterIP namespace/Service) and shows its pod and node", async () => {
    const rows = await search("");
    const byTarget = new Map(rows.map((row) => [row.target, row]));
    expect(byTarget.get("/cart/1")?.client).toMatchObject({
      service: "shop/checkout",
      namespace: "shop",
      workload: "checkout",
      pod: "checkout-6d4b75cb6d-x7k2p",
      node: "worker-1",
    });
    expect(byTarget.get("/cart/1")?.server).toMatchObject({
      service: "shop/cart",
      workload: "cart",
      pod: "cart-0",
    });
    expect(byTarget.get("/checkout")?.server).toMatchObject({
      service: "shop/checkout",
      namespace: "shop",
      pod: "",
    });
    expect(byTarget.get("/checkout")?.client).toMatchObject({
      service: "default/debug",
      namespace: "default",
      node: "worker-2",
    });
  });

  it("filters requests by namespace, workload, pod and node (either end)", async () => {
    const targets = async (query: string) => (await search(query)).map((row) => row.target).sort();
    expect(await targets("namespace=default")).toEqual(["/checkout"]);
    expect(await targets("namespace=shop")).toEqual(["/cart/1", "/cart/2", "/cart/2", "/checkout"]);
    expect(await targets("workload=cart")).toEqual(["/cart/1", "/cart/2", "/cart/2"]);
    expect(await targets("pod=checkout-6d4b75cb6d-x7k2p")).toEqual(["/cart/1"]);
    expect(await targets("node=worker-1")).toEqual(["/cart/1"]);
    expect(await targets("namespace=shop&pod=checkout-6d4b75cb6d-q9w8e")).toEqual(["/cart/2", "/cart/2"]);
    const bad = await t.get<{ error: { message: string } }>(`/api/v1/requests?${range}&namespace=Not_A_Name`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("namespace");
  });

  it("draws one node per workload however many pods served it, and groups by namespace", async () => {
    type MapBody = {
      nodes: { id: string; namespace?: string; requestCount: number }[];
      edges: { source: string; target: string; requestCount: number }[];
    };
    const map = await t.get<MapBody>(`/api/v1/map?${range}`);
    expect(map.status).toBe(200);
    expect(map.body.nodes.map((node) => node.id).sort()).toEqual([
      "default/debug",
      "shop/cart",
      "shop/checkout",
    ]);
    expect(map.body.nodes.find((node) => node.id === "shop/checkout")?.namespace).toBe("shop");
    const edges = map.body.edges.map((edge) => `${edge.source}->${edge.target}:${edge.requestCount}`).sort();
    // Both replicas' calls on one edge: a pod restart or a second replica is not a new service.
    expect(edges).toEqual(["default/debug->shop/checkout:1", "shop/checkout->shop/cart:6"]);
    const edgesOf = async (query: string) =>
      (await t.get<MapBody>(`/api/v1/map?${range}&${query}`)).body.edges.map(
        (e) => `${e.source}->${e.target}`,
      );
    expect(await edgesOf("workload=cart")).toEqual(["shop/checkout->shop/cart"]);
    expect(await edgesOf("workload=checkout&namespace=shop")).toEqual([
      "default/debug->shop/checkout",
      "shop/checkout->shop/cart",
    ]);
    expect(await edgesOf("workload=checkout&namespace=default")).toEqual([]);
    expect(await edgesOf("namespace=default")).toEqual(["default/debug->shop/checkout"]);
    type Services = { services: { name: string; namespace?: string }[] };
    const shop = await t.get<Services>(`/api/v1/services?${range}&namespace=shop`);
    expect(shop.body.services.map((service) => [service.name, service.namespace])).toEqual([
      ["shop/cart", "shop"],
      ["shop/checkout", "shop"],
    ]);
    const grouped = await t.get<MapBody>(`/api/v1/map?${range}&groupBy=namespace`);
    expect(grouped.body.nodes.map((node) => node.id).sort()).toEqual(["default", "shop"]);
  });

  it("names a host-network pod's series by its container id, not by its IP (the node's), as its records", async () => {
    // Half an hour earlier, a window of its own: the tests above see none of this.
    const at = now - 30 * 60_000;
    const window = `from=${at - 60_000}&to=${at + 60_000}`;
    const edge = (client: { ip: string; containerId?: string }, process: string, durationsMs: number[]) =>
      metricSeries({
        kind: "edge",
        side: "client",
        startMs: at,
        client: { ...client, port: 0, service: process, processName: process },
        server: { ip: CART.ip, port: 8080 },
        durationsMs,
      });
    const result = await t.ingest.send({
      agentId: "worker-1",
      requests: [
        record(Side.CLIENT, local(KUBE_PROXY, 43000, "kube-proxy"), remote(CART.ip, 8080), "/proxy", at),
      ],
      metrics: [
        // As the agent folds them: the pod's process with its container id; kubelet, a host
        // process on the same IP, with none.
        edge(KUBE_PROXY, "kube-proxy", [1, 2]),
        edge({ ip: WORKER_1_IP }, "kubelet", [3, 4, 5]),
      ],
    });
    expect(result.ok).toBe(true);
    type MapBody = {
      nodes: { id: string; namespace?: string }[];
      edges: { source: string; target: string; requestCount: number }[];
    };
    const map = await t.get<MapBody>(`/api/v1/map?${window}`);
    expect(map.status).toBe(200);
    expect(map.body.edges.map((e) => `${e.source}->${e.target}:${e.requestCount}`).sort()).toEqual([
      "kube-system/kube-proxy->shop/cart:2",
      "kubelet->shop/cart:3",
    ]);
    expect(map.body.nodes.find((node) => node.id === "kube-system/kube-proxy")?.namespace).toBe(
      "kube-system",
    );
    const proxied = await t.get<{ requests: RequestView[] }>(
      `/api/v1/requests?${window}&observations=all&workload=kube-proxy`,
    );
    expect(proxied.body.requests.map((row) => [row.target, row.client.service, row.client.pod])).toEqual([
      ["/proxy", "kube-system/kube-proxy", "kube-proxy-8xz4q"],
    ]);
  });
});
