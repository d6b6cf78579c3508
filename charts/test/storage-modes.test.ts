import { describe, expect, it } from "vitest";
import { render } from "./helm.js";
import { envOf, findObject, type KubernetesObject, parseManifests, soleContainer } from "./manifests.js";

const collectorName = "periscope-collector";

function renderObjects(set: string[]) {
  return parseManifests(render({ set }));
}

function collectorOf(objects: KubernetesObject[]): KubernetesObject {
  return findObject(objects, "StatefulSet", collectorName);
}

describe("storage.mode=embedded (the default)", () => {
  const objects = renderObjects([]);
  const statefulSet = collectorOf(objects);
  const collector = soleContainer(statefulSet);

  it("runs the engine inside the collector on a PersistentVolumeClaim per replica", () => {
    expect(envOf(collector, "PERISCOPE_STORAGE_URL").value).toBe("");
    const dataDir = envOf(collector, "PERISCOPE_DATA_DIR").value;
    expect(dataDir).toBe("/var/lib/periscope");
    const mount = collector.volumeMounts.find((m: { mountPath: string }) => m.mountPath === dataDir);
    const claim = statefulSet.spec.volumeClaimTemplates.find(
      (template: { metadata: { name: string } }) => template.metadata.name === mount.name,
    );
    expect(claim.spec).toEqual({
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: "50Gi" } },
    });
    // The claim template is the volume: none of the pod's volumes may shadow it.
    expect(statefulSet.spec.template.spec.volumes.map((v: { name: string }) => v.name)).not.toContain(
      mount.name,
    );
  });

  it("stops the old collector before its replacement starts (the engine locks its directory)", () => {
    // A StatefulSet's rolling update deletes a pod and then creates its successor.
    expect(statefulSet.spec.updateStrategy).toEqual({ type: "RollingUpdate" });
    expect(statefulSet.spec.replicas).toBe(1);
  });

  it("makes no ClickHouse Secret and names no cluster", () => {
    expect(objects.some((object) => object.metadata.name === "periscope-storage")).toBe(false);
    expect((collector.env ?? []).map((e) => e.name)).not.toContain("PERISCOPE_STORAGE_CLUSTER");
  });

  it("uses the StorageClass and size asked for", () => {
    const claim = collectorOf(
      renderObjects([
        "storage.embedded.persistence.storageClass=fast",
        "storage.embedded.persistence.size=80Gi",
      ]),
    ).spec.volumeClaimTemplates[0];
    expect(claim.spec.storageClassName).toBe("fast");
    expect(claim.spec.resources.requests.storage).toBe("80Gi");
  });

  it("uses an emptyDir and no claim when persistence is disabled", () => {
    const statefulSetWithout = collectorOf(renderObjects(["storage.embedded.persistence.enabled=false"]));
    expect(statefulSetWithout.spec.volumeClaimTemplates).toBeUndefined();
    const volumes = statefulSetWithout.spec.template.spec.volumes;
    expect(volumes.find((v: { name: string }) => v.name === "data")).toEqual({ name: "data", emptyDir: {} });
  });
});

describe("storage.mode=external", () => {
  it("stores the URL in a Secret and gives it to the collector, with no volume", () => {
    const url = "https://reader:pw@clickhouse.example:8443/periscope";
    const objects = renderObjects(["storage.mode=external", `storage.external.url=${url}`]);
    const secret = findObject(objects, "Secret", "periscope-storage");
    expect(secret.stringData.url).toBe(url);
    const statefulSet = collectorOf(objects);
    expect(statefulSet.spec.volumeClaimTemplates).toBeUndefined();
    const collector = soleContainer(statefulSet);
    expect(envOf(collector, "PERISCOPE_STORAGE_URL").valueFrom?.secretKeyRef).toEqual({
      name: "periscope-storage",
      key: "url",
    });
    expect((collector.env ?? []).map((e) => e.name)).not.toContain("PERISCOPE_DATA_DIR");
  });

  it("reads the URL from the user's own Secret when existingSecret is set", () => {
    const objects = renderObjects([
      "storage.mode=external",
      "storage.external.existingSecret=clickhouse-credentials",
      "storage.external.existingSecretKey=endpoint",
    ]);
    // Only the tokens' and the certificate's Secrets (auth-tls.test.ts): none for storage.
    const secrets = objects
      .filter((object) => object.kind === "Secret")
      .map((object) => object.metadata.name)
      .sort();
    expect(secrets).toEqual(["periscope-auth", "periscope-collector-tls"]);
    const collector = soleContainer(collectorOf(objects));
    expect(envOf(collector, "PERISCOPE_STORAGE_URL").valueFrom?.secretKeyRef).toEqual({
      name: "clickhouse-credentials",
      key: "endpoint",
    });
  });

  it("scales the collector out", () => {
    const objects = renderObjects([
      "storage.mode=external",
      "storage.external.url=http://ch:8123",
      "collector.replicas=3",
    ]);
    expect(collectorOf(objects).spec.replicas).toBe(3);
  });
});

describe("storage.mode=cluster", () => {
  const objects = renderObjects([
    "storage.mode=cluster",
    "storage.cluster.name=periscope_cluster",
    "storage.cluster.url=http://ch-0.example:8123/periscope",
    "collector.replicas=2",
  ]);
  const collector = soleContainer(collectorOf(objects));

  it("names the ClickHouse cluster, so the collector creates replicated tables ON CLUSTER", () => {
    expect(envOf(collector, "PERISCOPE_STORAGE_CLUSTER").value).toBe("periscope_cluster");
  });

  it("reads the server URL from a Secret and runs the replicas asked for", () => {
    expect(findObject(objects, "Secret", "periscope-storage").stringData.url).toBe(
      "http://ch-0.example:8123/periscope",
    );
    expect(envOf(collector, "PERISCOPE_STORAGE_URL").valueFrom?.secretKeyRef).toEqual({
      name: "periscope-storage",
      key: "url",
    });
    expect(collectorOf(objects).spec.replicas).toBe(2);
  });
});
