import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create, EndpointSchema, ExportRequestSchema, RequestRecordSchema, Side } from "@periscope/proto";
import { describe, expect, it } from "vitest";
import { decorateExportRequest } from "./decorate.js";
import { fixture } from "./fixtures/stand-in-api-server.js";
import type { DecoratedRecord } from "./identity.js";
import type { KubeObject } from "./kube-objects.js";
import { kubeConfigFor } from "./kubernetes-metadata.js";
import { MetadataIndex } from "./metadata-index.js";

const ids = fixture<Record<string, string>>("container-ids.json");
const podList = fixture<{ items: KubeObject[] }>("pods-list-1.json");
const pod = (name: string): KubeObject => {
  const found = podList.items.find((item) => item.metadata?.name === name);
  if (found === undefined) throw new Error(`no pod ${name} in the fixture`);
  return structuredClone(found);
};
const Q9W8E = "checkout-6d4b75cb6d-q9w8e";

function clock() {
  const time = { now: 1_000_000 };
  return { time, now: () => time.now };
}

describe("MetadataIndex", () => {
  it("resolves a pod's late record within the grace period and not after it", () => {
    const { time, now } = clock();
    const index = new MetadataIndex({ graceMs: 60_000, now });
    const q9w8e = pod(Q9W8E);
    index.apply("Pod", "add", q9w8e);
    index.apply("Pod", "delete", q9w8e);
    time.now += 59_000;
    index.expire();
    expect(index.byContainerId(ids["checkout-q9w8e"] ?? "")?.pod).toBe(Q9W8E);
    expect(index.byIp("10.244.2.15")?.pod).toBe(Q9W8E);
    time.now += 2_000;
    index.expire();
    expect(index.byContainerId(ids["checkout-q9w8e"] ?? "")).toBeUndefined();
    expect(index.byIp("10.244.2.15")).toBeUndefined();
    expect(index.size).toMatchObject({ pods: 0, deletedPods: 0 });
  });

  it("gives a reused IP to the new pod while the deleted one still resolves by container id", () => {
    const { now } = clock();
    const index = new MetadataIndex({ graceMs: 60_000, now });
    const old = pod(Q9W8E);
    index.apply("Pod", "add", old);
    index.apply("Pod", "delete", old);
    const debug = pod("debug");
    (debug.status as { podIP: string; podIPs: { ip: string }[] }).podIPs = [{ ip: "10.244.2.15" }];
    index.apply("Pod", "add", debug);
    index.expire();
    expect(index.byIp("10.244.2.15")?.pod).toBe("debug");
    expect(index.byContainerId(ids["checkout-q9w8e"] ?? "")?.pod).toBe(Q9W8E);
  });

  it("keeps at most maxDeletedPods deleted pods, the oldest leaving first", () => {
    const index = new MetadataIndex({ graceMs: 3_600_000, maxDeletedPods: 1 });
    for (const name of [Q9W8E, "debug"]) {
      const object = pod(name);
      index.apply("Pod", "add", object);
      index.apply("Pod", "delete", object);
    }
    expect(index.size.deletedPods).toBe(1);
    expect(index.byContainerId(ids["checkout-q9w8e"] ?? "")).toBeUndefined();
    expect(index.byContainerId(ids.debug ?? "")?.pod).toBe("debug");
  });

  it("names a pod's Deployment from its pod-template-hash before its ReplicaSet is seen, and a bare pod by itself", () => {
    const index = new MetadataIndex();
    index.apply("Pod", "add", pod(Q9W8E));
    index.apply("Pod", "add", pod("debug"));
    expect(index.byIp("10.244.2.15")).toMatchObject({ workload: "checkout", workloadKind: "Deployment" });
    expect(index.byIp("10.244.2.9")).toMatchObject({ workload: "debug", workloadKind: "Pod" });
  });

  it("follows an owner that changes after the pod was resolved (a Job adopted by a CronJob seen later)", () => {
    const index = new MetadataIndex();
    index.apply("Pod", "add", pod("report-29417760-kq9vd"));
    expect(index.byIp("10.244.1.30")).toMatchObject({ workload: "report-29417760", workloadKind: "Job" });
    const [job] = fixture<{ items: KubeObject[] }>("jobs-list.json").items;
    index.apply("Job", "add", job as KubeObject);
    expect(index.byIp("10.244.1.30")).toMatchObject({ workload: "report", workloadKind: "CronJob" });
  });

  it("tells two workloads of one name in two namespaces apart", () => {
    const index = new MetadataIndex();
    const shop = pod("debug");
    const other = pod("debug");
    other.metadata = { ...other.metadata, namespace: "staging", uid: "other-uid" };
    (other.status as { podIPs: { ip: string }[] }).podIPs = [{ ip: "10.244.3.3" }];
    index.apply("Pod", "add", shop);
    index.apply("Pod", "add", other);
    expect(index.byIp("10.244.2.9")?.displayName).toBe("default/debug");
    expect(index.byIp("10.244.3.3")?.displayName).toBe("staging/debug");
  });

  it("a pod restart keeps its workload: the replacement pod names the same service", () => {
    const index = new MetadataIndex();
    index.apply("Pod", "add", pod(Q9W8E));
    index.apply("Pod", "add", pod("checkout-6d4b75cb6d-x7k2p"));
    const a = index.byContainerId(ids["checkout-q9w8e"] ?? "");
    const b = index.byContainerId(ids["checkout-x7k2p"] ?? "");
    expect([a?.namespace, a?.workload]).toEqual([b?.namespace, b?.workload]);
    expect(a?.pod).not.toBe(b?.pod);
  });
});

describe("host mode", () => {
  it("starts no watch without in-cluster config, kubeconfig or API URL, or when turned off", () => {
    const none = { mode: "auto" as const, kubeconfig: "", apiUrl: "", inClusterHost: "", graceSeconds: 300 };
    expect(kubeConfigFor(none)).toBeUndefined();
    expect(kubeConfigFor({ ...none, mode: "off", apiUrl: "http://127.0.0.1:1" })).toBeUndefined();
    // In a pod whose service-account token is not mounted: nothing to watch with.
    expect(
      kubeConfigFor({ ...none, inClusterHost: "10.96.0.1", serviceAccountTokenPath: "/nonexistent/token" }),
    ).toBeUndefined();
    const dir = mkdtempSync(join(tmpdir(), "periscope-sa-"));
    writeFileSync(join(dir, "token"), "token");
    try {
      const inCluster = { ...none, inClusterHost: "10.96.0.1", serviceAccountTokenPath: join(dir, "token") };
      expect(kubeConfigFor(inCluster)?.source).toBe("in-cluster service account");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps process identity and sets only the node of the agent's own processes", () => {
    const batch = create(ExportRequestSchema, {
      agentId: "host-a",
      agent: { hostname: "host-a" },
      requests: [
        create(RequestRecordSchema, {
          side: Side.CLIENT,
          client: create(EndpointSchema, { ip: "10.1.2.3", port: 40000, pid: 42, service: "curl" }),
          server: create(EndpointSchema, { ip: "10.9.9.9", port: 80 }),
        }),
      ],
    });
    decorateExportRequest(batch, undefined);
    const [record] = batch.requests as DecoratedRecord[];
    expect(record?.client?.service).toBe("curl");
    expect(record?.server?.service).toBe("");
    expect(record?.identities).toEqual({
      client: { namespace: "", workload: "", workloadKind: "", pod: "", node: "host-a", displayName: "" },
      server: undefined,
    });
  });
});
