import http from "node:http";
import type { AddressInfo } from "node:net";

// Just enough of a Kubernetes API server for `helm install` and `helm upgrade` to run
// against, so the chart's `lookup` calls (which `helm template` never makes) meet real
// stored objects: discovery for the kinds the chart renders, GET/POST/PUT of objects kept
// in memory, label-selected Secret lists (Helm's release storage), and PATCH answered
// with the stored object (an upgrade's changes are not applied; tests read the rendered
// manifest Helm returns instead).

type ResourceSpec = [plural: string, kind: string, namespaced: boolean];

const groupVersions: Record<string, ResourceSpec[]> = {
  v1: [
    ["secrets", "Secret", true],
    ["services", "Service", true],
    ["serviceaccounts", "ServiceAccount", true],
    ["configmaps", "ConfigMap", true],
    ["namespaces", "Namespace", false],
  ],
  "apps/v1": [
    ["daemonsets", "DaemonSet", true],
    ["deployments", "Deployment", true],
    ["statefulsets", "StatefulSet", true],
  ],
  "rbac.authorization.k8s.io/v1": [
    ["clusterroles", "ClusterRole", false],
    ["clusterrolebindings", "ClusterRoleBinding", false],
  ],
  "policy/v1": [["poddisruptionbudgets", "PodDisruptionBudget", true]],
  "networking.k8s.io/v1": [
    ["networkpolicies", "NetworkPolicy", true],
    ["ingresses", "Ingress", true],
  ],
};

interface StoredObject {
  metadata: { name: string; labels?: Record<string, string>; [field: string]: unknown };
  [field: string]: unknown;
}

export interface FakeKubernetesApi {
  url: string;
  /**
   * Stores a Secret as if a user had created it; with `release`, as an earlier install of
   * that Helm release did (its ownership label and annotations), so Helm adopts it.
   */
  putSecret(namespace: string, name: string, data: Record<string, string>, release?: string): void;
  close(): Promise<void>;
}

function resourceList(groupVersion: string, resources: ResourceSpec[]) {
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion,
    resources: resources.map(([name, kind, namespaced]) => ({
      name,
      singularName: "",
      namespaced,
      kind,
      verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
    })),
  };
}

export async function startFakeKubernetesApi(kubernetesVersion: string): Promise<FakeKubernetesApi> {
  // Keyed by the object's path without its /api or /apis prefix: "v1/namespaces/ns/secrets/name".
  const store = new Map<string, StoredObject>();
  const [major, minor] = kubernetesVersion.split(".");
  let uid = 0;

  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://fake");
      const path = url.pathname;
      const send = (status: number, object: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(object));
      };
      const notFound = () =>
        send(404, { kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404 });

      if (path === "/version") return send(200, { major, minor, gitVersion: `v${kubernetesVersion}` });
      if (path === "/api") return send(200, { kind: "APIVersions", versions: ["v1"] });
      if (path === "/apis") {
        const groups = Object.keys(groupVersions)
          .filter((groupVersion) => groupVersion.includes("/"))
          .map((groupVersion) => {
            const [name, version] = groupVersion.split("/");
            const preferred = { groupVersion, version };
            return { name, versions: [preferred], preferredVersion: preferred };
          });
        return send(200, { kind: "APIGroupList", apiVersion: "v1", groups });
      }
      const groupVersion = path.replace(/^\/apis?\//, "");
      const resources = groupVersions[groupVersion];
      if (resources) return send(200, resourceList(groupVersion, resources));

      const key = groupVersion;
      if (req.method === "GET" && key.endsWith("/secrets")) {
        const selector = (url.searchParams.get("labelSelector") ?? "")
          .split(",")
          .filter(Boolean)
          .map((pair) => pair.split("="));
        const items = [...store.entries()]
          .filter(([stored]) => stored.startsWith(`${key}/`))
          .map(([, object]) => object)
          .filter((object) =>
            selector.every(([label, value]) => object.metadata.labels?.[label ?? ""] === value),
          );
        return send(200, { kind: "SecretList", apiVersion: "v1", metadata: { resourceVersion: "1" }, items });
      }
      const stored = store.get(key);
      switch (req.method) {
        case "GET":
        case "PATCH":
          return stored ? send(200, stored) : notFound();
        case "POST": {
          const object = JSON.parse(body) as StoredObject;
          uid += 1;
          object.metadata = { ...object.metadata, resourceVersion: "1", uid: String(uid) };
          store.set(`${key}/${object.metadata.name}`, object);
          return send(201, object);
        }
        case "PUT": {
          const object = JSON.parse(body) as StoredObject;
          store.set(key, object);
          return send(200, object);
        }
        default:
          return notFound();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    putSecret(namespace, name, data, release) {
      const encoded = Object.fromEntries(
        Object.entries(data).map(([field, value]) => [field, Buffer.from(value).toString("base64")]),
      );
      const ownership = release
        ? {
            labels: { "app.kubernetes.io/managed-by": "Helm" },
            annotations: {
              "meta.helm.sh/release-name": release,
              "meta.helm.sh/release-namespace": namespace,
            },
          }
        : {};
      store.set(`v1/namespaces/${namespace}/secrets/${name}`, {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name, namespace, ...ownership },
        type: "Opaque",
        data: encoded,
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
