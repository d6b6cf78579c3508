import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeKubernetesApi, startFakeKubernetesApi } from "./fake-kubernetes-api.js";
import { chartDir, defaultKubeVersion, releaseNamespace, runHelmAsync } from "./helm.js";
import { findObject, type KubernetesObject, parseManifests } from "./manifests.js";

// `helm template` has no cluster, so `lookup` finds nothing there and every render makes
// new tokens and a new CA. What keeps them is `lookup` during install and upgrade: these
// tests run real `helm install` and `helm upgrade` against fake-kubernetes-api.ts and read
// the manifests Helm rendered (helm … -o json).

let api: FakeKubernetesApi;
let home: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  api = await startFakeKubernetesApi(defaultKubeVersion);
  home = mkdtempSync(join(tmpdir(), "periscope-helm-"));
  const kubeconfig = join(home, "kubeconfig");
  writeFileSync(
    kubeconfig,
    [
      "apiVersion: v1",
      "kind: Config",
      `clusters: [{name: fake, cluster: {server: "${api.url}"}}]`,
      "users: [{name: fake, user: {}}]",
      `contexts: [{name: fake, context: {cluster: fake, user: fake, namespace: ${releaseNamespace}}}]`,
      "current-context: fake",
      "",
    ].join("\n"),
    { mode: 0o600 },
  );
  // HOME too: client-go caches discovery under ~/.kube.
  env = { ...process.env, KUBECONFIG: kubeconfig, HOME: home, HELM_DRIVER: "secret" };
});

afterAll(async () => {
  await api.close();
  rmSync(home, { recursive: true, force: true });
});

async function deploy(command: "install" | "upgrade", release: string, set: string[] = []) {
  const args = [command, release, chartDir, "--namespace", releaseNamespace, "-o", "json"];
  // The fake server serves no OpenAPI document to validate against (kubernetes-schema.test.ts does that).
  args.push("--disable-openapi-validation");
  for (const assignment of set) args.push("--set", assignment);
  const result = await runHelmAsync(args, env);
  if (result.status !== 0) throw new Error(`helm ${command} failed: ${result.stderr}`);
  return parseManifests((JSON.parse(result.stdout) as { manifest: string }).manifest);
}

function decoded(secret: KubernetesObject): Record<string, string> {
  return Object.fromEntries(
    Object.entries(secret.data as Record<string, string>).map(([key, value]) => [
      key,
      Buffer.from(value, "base64").toString(),
    ]),
  );
}

function podAnnotations(objects: KubernetesObject[]): Record<string, Record<string, string>> {
  return Object.fromEntries(
    objects
      .filter((o) => ["StatefulSet", "DaemonSet", "Deployment"].includes(o.kind))
      .map((o) => [o.metadata.name, o.spec.template.metadata.annotations]),
  );
}

describe("helm upgrade keeps what helm install generated", () => {
  it("the same tokens and the same CA and certificate, so no pod restarts", async () => {
    const installed = await deploy("install", "kept");
    const upgraded = await deploy("upgrade", "kept", ["collector.retentionDays=14"]);
    for (const name of ["kept-periscope-auth", "kept-periscope-collector-tls"]) {
      expect(findObject(upgraded, "Secret", name).data, name).toEqual(
        findObject(installed, "Secret", name).data,
      );
    }
    expect(podAnnotations(upgraded)).toEqual(podAnnotations(installed));
  });

  it("adds a ui-token to a tokens Secret from an older chart, keeping the two it had", async () => {
    const older = {
      "admin-token": "admin-token-from-0-1-0-chart",
      "agent-token": "agent-token-from-0-1-0-chart",
    };
    api.putSecret(releaseNamespace, "older-periscope-auth", older, "older");
    const tokens = decoded(findObject(await deploy("install", "older"), "Secret", "older-periscope-auth"));
    expect(tokens).toMatchObject(older);
    expect(tokens["ui-token"]).toMatch(/^[A-Za-z0-9]{32}$/);
  });
});

describe("helm upgrade restarts pods when a Secret of the user's changed", () => {
  it("sums the Secret's data, looked up at install and at upgrade", async () => {
    const sumOf = (data: Record<string, string>) => {
      const encoded = Object.fromEntries(
        Object.entries(data)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([key, value]) => [key, Buffer.from(value).toString("base64")]),
      );
      return createHash("sha256").update(JSON.stringify(encoded)).digest("hex");
    };
    const first = {
      "admin-token": "a".repeat(20),
      "ui-token": "u".repeat(20),
      "agent-token": "g".repeat(20),
    };
    api.putSecret(releaseNamespace, "team-tokens", first);
    const installed = await deploy("install", "team", ["auth.existingSecret=team-tokens"]);
    expect(podAnnotations(installed)["team-periscope-agent"]?.["checksum/auth"]).toBe(sumOf(first));

    const rotated = { ...first, "agent-token": "r".repeat(20) };
    api.putSecret(releaseNamespace, "team-tokens", rotated);
    const upgraded = await deploy("upgrade", "team", ["auth.existingSecret=team-tokens"]);
    for (const [name, annotations] of Object.entries(podAnnotations(upgraded))) {
      expect(annotations["checksum/auth"], name).toBe(sumOf(rotated));
    }
  });
});
