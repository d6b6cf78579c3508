// Decoration against a stand-in API server replaying recorded Kubernetes API
// responses: paged lists, watch streams, 410 Gone (as a response and as a
// watch ERROR event), an API server restart mid-watch.
import {
  create,
  EndpointSchema,
  ExportRequestSchema,
  MetricSeriesSchema,
  RequestRecordSchema,
  SeriesKind,
  Side,
} from "@periscope/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClusterWatch } from "./cluster-watch.js";
import { decorateExportRequest } from "./decorate.js";
import {
  fixture,
  fixtureLines,
  type ResourceScript,
  StandInApiServer,
} from "./fixtures/stand-in-api-server.js";
import type { DecoratedRecord } from "./identity.js";
import { kubeConfigFor } from "./kubernetes-metadata.js";
import { MetadataIndex } from "./metadata-index.js";

const ids = fixture<Record<string, string>>("container-ids.json");
const id = (name: string): string => {
  const value = ids[name];
  if (value === undefined) throw new Error(`no container id ${name} in the fixture`);
  return value;
};

function scripts(): Map<string, ResourceScript> {
  const listed = (name: string): ResourceScript => ({ lists: [fixture(name)], watches: [] });
  return new Map<string, ResourceScript>([
    [
      "/api/v1/pods",
      {
        lists: [fixture("pods-list-1.json"), fixture("pods-list-2.json")],
        watches: [
          // From 1020: a replica added, cart-0's container restarted, a replica deleted; then the stream ends.
          { events: fixtureLines("pods-watch-1.jsonl"), end: true },
          // Resumed from 1023, already compacted away: ERROR 410 in the stream, so the informer re-lists.
          { events: [fixture("pods-watch-2-gone.json")], end: true },
        ],
      },
    ],
    [
      "/api/v1/services",
      {
        lists: [fixture("services-list-1.json"), fixture("services-list-2.json")],
        // 410 as the watch request's own answer: re-listed at once.
        watches: [{ gone: fixture("status-410-gone.json") }],
      },
    ],
    ["/apis/discovery.k8s.io/v1/endpointslices", listed("endpointslices-list.json")],
    ["/apis/apps/v1/replicasets", listed("replicasets-list.json")],
    ["/apis/apps/v1/deployments", listed("deployments-list.json")],
    ["/apis/apps/v1/statefulsets", listed("statefulsets-list.json")],
    ["/apis/apps/v1/daemonsets", listed("daemonsets-list.json")],
    ["/apis/batch/v1/jobs", listed("jobs-list.json")],
    ["/apis/batch/v1/cronjobs", listed("cronjobs-list.json")],
    ["/api/v1/nodes", listed("nodes-list.json")],
  ]);
}

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("cluster watch against a stand-in API server", () => {
  const server = new StandInApiServer(scripts());
  const index = new MetadataIndex({ graceMs: 300_000 });
  const logs: { level: "info" | "warn"; message: string }[] = [];
  let watch: ClusterWatch;

  beforeAll(async () => {
    await server.start();
    const target = kubeConfigFor({
      mode: "auto",
      kubeconfig: "",
      apiUrl: server.url,
      inClusterHost: "",
      graceSeconds: 300,
    });
    if (target === undefined) throw new Error("an API URL must select the watch");
    watch = new ClusterWatch(
      target.config,
      index,
      {
        info: (message) => logs.push({ level: "info", message }),
        warn: (message) => logs.push({ level: "warn", message }),
      },
      // Pages of 2 make the 6-pod list take three requests.
      { initialBackoffMs: 50, maxBackoffMs: 400, pageSize: 2 },
    );
    await watch.start();
    const pods = () => watch.states.find((state) => state.kind === "Pod");
    await until("the pods re-list after 410 Gone", () => (pods()?.lists ?? 0) >= 2);
    await until("the re-list's pod deletions", () => index.size.deletedPods >= 2);
    const watching = (path: string) =>
      server.requests.some((r) => r.path === path && r.watch && r.resourceVersion === "1500");
    await until("watches from the re-lists", () => watching("/api/v1/pods") && watching("/api/v1/services"));
  });

  afterAll(async () => {
    await watch?.stop();
    await server.stop();
  });

  it("lists in pages, resumes from the last resourceVersion, and re-lists on 410 Gone", () => {
    const pods = server.requests.filter((request) => request.path === "/api/v1/pods");
    const lists = pods.filter((request) => !request.watch);
    // First list: three pages of 2, the second and third continuing the first.
    expect(lists.slice(0, 3).map((request) => [request.limit, request.continue])).toEqual([
      ["2", undefined],
      ["2", "page-2"],
      ["2", "page-4"],
    ]);
    const watches = pods.filter((request) => request.watch).map((request) => request.resourceVersion);
    // 1020 from the list; 1023 after the stream's last event; then 410, a re-list at 1500.
    expect(watches.slice(0, 3)).toEqual(["1020", "1023", "1500"]);
    const services = server.requests.filter((request) => request.path === "/api/v1/services");
    expect(services.map((request) => (request.watch ? `watch@${request.resourceVersion}` : "list"))).toEqual(
      expect.arrayContaining(["list", "watch@1020", "list", "watch@1500"]),
    );
    expect(watch.states.find((state) => state.kind === "Service")?.lists).toBe(2);
  });

  it("resolves a container id of each runtime to its pod, workload through the owner chain, and node", () => {
    expect(index.byContainerId(id("checkout-q9w8e"))).toMatchObject({
      namespace: "shop",
      workload: "checkout",
      workloadKind: "Deployment",
      pod: "checkout-6d4b75cb6d-q9w8e",
      node: "worker-2",
      labels: { app: "checkout" },
    }); // containerd://
    expect(index.byContainerId(id("cart-0-restart"))).toMatchObject({
      workload: "cart",
      workloadKind: "StatefulSet",
      pod: "cart-0",
    }); // cri-o://, after a restart in the watch stream
    expect(index.byContainerId(id("cart-0"))?.pod).toBe("cart-0"); // its previous container (lastState)
    expect(index.byContainerId(id("report"))).toMatchObject({
      workload: "report",
      workloadKind: "CronJob",
      pod: "report-29417760-kq9vd",
    }); // docker://, Job → CronJob
    expect(index.byContainerId(id("kube-proxy"))).toMatchObject({
      namespace: "kube-system",
      workload: "kube-proxy",
      workloadKind: "DaemonSet",
      node: "worker-1",
    });
    expect(index.byContainerId(id("checkout-n5m3z"))?.pod).toBe("checkout-6d4b75cb6d-n5m3z"); // watch ADDED
  });

  it("keeps pods deleted by a watch event or by a re-list for the grace period", () => {
    // x7k2p: DELETED event; debug: absent from the re-list after 410.
    expect(index.byContainerId(id("checkout-x7k2p"))?.pod).toBe("checkout-6d4b75cb6d-x7k2p");
    expect(index.byContainerId(id("debug"))).toMatchObject({ workload: "debug", workloadKind: "Pod" });
    expect(index.size.deletedPods).toBe(2);
  });

  it("resolves a remote ClusterIP to its Service, pod IPs to pods, a node's address to the node", () => {
    expect(index.byIp("10.96.14.20")).toMatchObject({
      namespace: "shop",
      service: "checkout",
      workload: "checkout",
      workloadKind: "Deployment",
      pod: "",
    });
    // Listed only after the 410: the re-list brought it.
    expect(index.byIp("10.96.30.5")).toMatchObject({ namespace: "shop", service: "payments", workload: "" });
    expect(index.byIp("10.244.2.15")?.pod).toBe("checkout-6d4b75cb6d-q9w8e");
    // kube-proxy runs on the host network: its IP is the node's, not the pod's.
    expect(index.byIp("10.0.0.11")).toMatchObject({ workloadKind: "Node", node: "worker-1", pod: "" });
    expect(index.byIp("10.244.9.9")).toBeUndefined();
  });

  it("decorates a batch: pods named by namespace/workload, an edge to a ClusterIP by namespace/Service", () => {
    const endpoint = (
      ip: string,
      port: number,
      extra: { pid?: number; containerId?: string; service?: string } = {},
    ) => create(EndpointSchema, { ip, port, pid: 0, containerId: "", service: "", ...extra });
    const batch = create(ExportRequestSchema, {
      agentId: "worker-1",
      batchSeq: 1n,
      agent: { hostname: "worker-1" },
      requests: [
        create(RequestRecordSchema, {
          protocol: "http",
          side: Side.CLIENT,
          client: endpoint("10.244.1.40", 41000, {
            pid: 812,
            containerId: id("checkout-n5m3z"),
            service: "node:server",
          }),
          server: endpoint("10.96.30.5", 9090),
        }),
        create(RequestRecordSchema, {
          protocol: "http",
          side: Side.SERVER,
          client: endpoint("10.244.1.30", 52000),
          server: endpoint("10.244.2.7", 8080, { pid: 77, containerId: id("cart-0-restart") }),
        }),
      ],
      metrics: [
        create(MetricSeriesSchema, {
          kind: SeriesKind.EDGE,
          side: Side.CLIENT,
          client: endpoint("10.244.2.15", 0, { service: "node:server" }),
          server: endpoint("10.96.14.20", 80),
        }),
      ],
    });
    decorateExportRequest(batch, index);
    const [call, served] = batch.requests as DecoratedRecord[];
    expect(call?.client?.service).toBe("shop/checkout");
    expect(call?.server?.service).toBe("shop/payments");
    expect(call?.identities?.client).toMatchObject({ pod: "checkout-6d4b75cb6d-n5m3z", node: "worker-1" });
    expect(call?.identities?.server).toMatchObject({ namespace: "shop", service: "payments" });
    expect(served?.server?.service).toBe("shop/cart");
    expect(served?.client?.service).toBe("shop/report"); // a remote pod IP, of a CronJob's pod
    const [series] = batch.metrics;
    expect(series?.client?.service).toBe("shop/checkout");
    expect(series?.server?.service).toBe("shop/checkout");
    expect([
      series?.clientNamespace,
      series?.clientWorkload,
      series?.serverNamespace,
      series?.serverWorkload,
    ]).toEqual(["shop", "checkout", "shop", "checkout"]);
  });

  it("survives an API server restart mid-watch: one warning per kind, then resumes without a re-list", async () => {
    const podLists = watch.states.find((state) => state.kind === "Pod")?.lists;
    server.nextWatch("/api/v1/pods", { events: fixtureLines("pods-watch-after-restart.jsonl"), end: false });
    await server.stop();
    // Every watch is cut and every retry refused for a while: backoff 50 ms doubling to 400 ms.
    await until("every informer to notice", () => watch.states.every((state) => !state.healthy));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await server.start();
    await until(
      "the pod added after the restart",
      () => index.byContainerId(id("checkout-r4t6y")) !== undefined,
    );
    await until("every informer to recover", () => watch.states.every((state) => state.healthy));

    const pods = watch.states.find((state) => state.kind === "Pod");
    expect(pods?.restarts).toBeGreaterThanOrEqual(2);
    expect(pods?.lists).toBe(podLists); // resumed from its resourceVersion: no re-list needed
    const resumed = server.requests
      .filter((request) => request.path === "/api/v1/pods" && request.watch)
      .at(-1);
    expect(resumed?.resourceVersion).toBe("1500");
    const warnings = logs.filter((entry) => entry.level === "warn");
    // Each kind failed several times; each said so once.
    expect(warnings.length).toBe(10);
    expect(new Set(warnings.map((entry) => entry.message.split(":")[0])).size).toBe(10);
    expect(logs.filter((entry) => entry.message.endsWith("recovered"))).toHaveLength(10);
    expect(index.byContainerId(id("checkout-r4t6y"))).toMatchObject({
      workload: "checkout",
      node: "worker-2",
    });
  });
});
