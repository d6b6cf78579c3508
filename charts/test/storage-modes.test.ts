import { describe, expect, it } from "vitest";
import { render } from "./helm.js";
import { envOf, findObject, parseManifests, soleContainer } from "./manifests.js";

const collectorName = "periscope-collector";

function renderObjects(set: string[]) {
  return parseManifests(render({ set }));
}

describe("storage.mode=clickhouse (the default)", () => {
  const objects = renderObjects([]);
  const collector = soleContainer(findObject(objects, "Deployment", collectorName));

  it("runs a ClickHouse server with a persistent volume", () => {
    const statefulSet = findObject(objects, "StatefulSet", "periscope-clickhouse");
    expect(soleContainer(statefulSet).image).toMatch(/^clickhouse\/clickhouse-server:/);
    expect(statefulSet.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe("50Gi");
  });

  it("points the collector at the ClickHouse Service's HTTP port and the database the server creates", () => {
    const service = findObject(objects, "Service", "periscope-clickhouse");
    const httpPort = service.spec.ports.find((port: { name: string }) => port.name === "http").port;
    expect(envOf(collector, "PERISCOPE_STORAGE_URL").value).toBe(
      `http://$(CLICKHOUSE_USER):$(CLICKHOUSE_PASSWORD)@periscope-clickhouse:${httpPort}/periscope`,
    );
    const clickhouse = soleContainer(findObject(objects, "StatefulSet", "periscope-clickhouse"));
    expect(envOf(clickhouse, "CLICKHOUSE_DB").value).toBe("periscope");
  });

  it("gives the collector and ClickHouse the same password from one Secret", () => {
    const secret = findObject(objects, "Secret", "periscope-clickhouse");
    const password = Buffer.from(secret.data.password, "base64").toString();
    expect(password).toMatch(/^[A-Za-z0-9]{32}$/);
    const clickhouse = soleContainer(findObject(objects, "StatefulSet", "periscope-clickhouse"));
    for (const container of [collector, clickhouse]) {
      expect(envOf(container, "CLICKHOUSE_PASSWORD").valueFrom?.secretKeyRef).toEqual({
        name: "periscope-clickhouse",
        key: "password",
      });
    }
  });

  it("keeps a password the user sets", () => {
    const secret = findObject(
      renderObjects(["storage.clickhouse.auth.password=chosen-one"]),
      "Secret",
      "periscope-clickhouse",
    );
    expect(Buffer.from(secret.data.password, "base64").toString()).toBe("chosen-one");
  });
});

describe("storage.mode=external", () => {
  it("stores the URL in a Secret and gives it to the collector, with no ClickHouse server", () => {
    const url = "http://reader:pw@clickhouse.example:8123";
    const objects = renderObjects(["storage.mode=external", `storage.external.url=${url}`]);
    expect(objects.some((object) => object.kind === "StatefulSet")).toBe(false);
    const secret = findObject(objects, "Secret", "periscope-storage");
    expect(secret.stringData.url).toBe(url);
    const collector = soleContainer(findObject(objects, "Deployment", collectorName));
    expect(envOf(collector, "PERISCOPE_STORAGE_URL").valueFrom?.secretKeyRef).toEqual({
      name: "periscope-storage",
      key: "url",
    });
  });

  it("reads the URL from the user's own Secret when existingSecret is set", () => {
    const objects = renderObjects([
      "storage.mode=external",
      "storage.external.existingSecret=clickhouse-credentials",
      "storage.external.existingSecretKey=endpoint",
    ]);
    // Only the tokens' Secret (auth-tls.test.ts): none for storage.
    const secrets = objects
      .filter((object) => object.kind === "Secret")
      .map((object) => object.metadata.name);
    expect(secrets).toEqual(["periscope-auth"]);
    const collector = soleContainer(findObject(objects, "Deployment", collectorName));
    expect(envOf(collector, "PERISCOPE_STORAGE_URL").valueFrom?.secretKeyRef).toEqual({
      name: "clickhouse-credentials",
      key: "endpoint",
    });
  });
});

describe("storage.mode=embedded", () => {
  it("keeps the data directory on a PersistentVolumeClaim and leaves the storage URL empty", () => {
    const objects = renderObjects(["storage.mode=embedded"]);
    expect(objects.some((object) => object.kind === "StatefulSet")).toBe(false);
    const deployment = findObject(objects, "Deployment", collectorName);
    const collector = soleContainer(deployment);
    expect(envOf(collector, "PERISCOPE_STORAGE_URL").value).toBe("");
    const dataDir = envOf(collector, "PERISCOPE_DATA_DIR").value;
    expect(dataDir).toBe("/var/lib/periscope");

    const mount = collector.volumeMounts.find((m: { mountPath: string }) => m.mountPath === dataDir);
    const volume = deployment.spec.template.spec.volumes.find((v: { name: string }) => v.name === mount.name);
    const claim = findObject(objects, "PersistentVolumeClaim", volume.persistentVolumeClaim.claimName);
    expect(claim.spec.resources.requests.storage).toBe("20Gi");
  });

  it("replaces the collector pod instead of rolling, so two never open the same data", () => {
    const deployment = findObject(renderObjects(["storage.mode=embedded"]), "Deployment", collectorName);
    expect(deployment.spec.strategy.type).toBe("Recreate");
  });

  it("uses an emptyDir and no claim when persistence is disabled", () => {
    const objects = renderObjects(["storage.mode=embedded", "storage.embedded.persistence.enabled=false"]);
    expect(objects.some((object) => object.kind === "PersistentVolumeClaim")).toBe(false);
    const volumes = findObject(objects, "Deployment", collectorName).spec.template.spec.volumes;
    expect(volumes.find((v: { name: string }) => v.name === "data")).toEqual({ name: "data", emptyDir: {} });
  });
});
