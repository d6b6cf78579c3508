import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { chartDir, type RenderOptions, render, tryRender } from "./helm.js";
import {
  newestKubernetes,
  oldestKubernetes,
  supportedKubernetes,
  unknownFields,
  validateObject,
} from "./kubernetes-schemas.js";
import { type KubernetesObject, kindsOf, parseManifests, workloadsOf } from "./manifests.js";
import { listScenarios } from "./scenarios.js";

const installs: [string, RenderOptions][] = [
  ["default values", {}],
  [
    "storage.mode=external",
    { set: ["storage.mode=external", "storage.external.url=http://ch.example:8123"] },
  ],
  [
    "storage.mode=external with existingSecret",
    { set: ["storage.mode=external", "storage.external.existingSecret=ch"] },
  ],
  [
    "storage.mode=cluster",
    { set: ["storage.mode=cluster", "storage.cluster.name=main", "storage.cluster.url=http://ch:8123"] },
  ],
  ["embedded storage without persistence", { set: ["storage.embedded.persistence.enabled=false"] }],
  ["agent and ui disabled", { set: ["agent.enabled=false", "ui.enabled=false"] }],
  ["auth.existingSecret", { set: ["auth.existingSecret=team-tokens"] }],
  ["tls.enabled=false", { set: ["tls.enabled=false"] }],
  ["tls.existingSecret on public CA roots", { set: ["tls.existingSecret=collector-cert", "tls.caKey="] }],
  [
    "every optional object off",
    {
      set: [
        "collector.kubernetes.enabled=false",
        "collector.podDisruptionBudget.enabled=false",
        "agent.priorityClassName=",
      ],
    },
  ],
  [
    "network policies with API peers",
    {
      set: ["networkPolicy.enabled=true", "networkPolicy.apiFrom[0].podSelector.matchLabels.app=prometheus"],
    },
  ],
  ...listScenarios().map(({ name, valuesFile }): [string, RenderOptions] => [
    `ci/${name}`,
    { valuesFiles: [valuesFile] },
  ]),
];

function matches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

describe("supported Kubernetes versions", () => {
  const chart = parse(readFileSync(join(chartDir, "Chart.yaml"), "utf8")) as { kubeVersion: string };

  it("are the ones Chart.yaml's kubeVersion admits, oldest first", () => {
    expect(chart.kubeVersion).toBe(`>=${oldestKubernetes.version}.0-0`);
    expect(supportedKubernetes.map((k) => k.version)).toEqual([
      oldestKubernetes.version,
      newestKubernetes.version,
    ]);
  });

  it("installs on the oldest and the newest", () => {
    for (const { version } of supportedKubernetes) {
      expect(tryRender({ kubeVersion: `${version}.0` }).status, version).toBe(0);
    }
  });

  it("refuses a Kubernetes older than the oldest, naming the requirement", () => {
    const result = tryRender({ kubeVersion: "1.26.9" });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`chart requires kubeVersion: >=${oldestKubernetes.version}.0-0`);
  });
});

// The models keep API versions Kubernetes has since removed (policy/v1beta1, batch/v1beta1…)
// next to the current ones, so they would not catch one. Every group version here is GA
// since 1.21 and none is deprecated as of 1.36 (Kubernetes "Deprecated API Migration Guide").
const servedFrom127To136 = new Set([
  "v1",
  "apps/v1",
  "batch/v1",
  "policy/v1",
  "networking.k8s.io/v1",
  "discovery.k8s.io/v1",
  "rbac.authorization.k8s.io/v1",
]);

describe.each(installs)("render with %s", (_label, options) => {
  const objects = parseManifests(render(options));

  it("uses only API versions served from Kubernetes 1.27 through 1.36", () => {
    const outside = objects.filter((object) => !servedFrom127To136.has(object.apiVersion));
    expect(outside.map((object) => `${object.apiVersion} ${object.kind}`)).toEqual([]);
  });

  it.each(supportedKubernetes)(
    "renders only objects valid against their schema in Kubernetes $version",
    async (kubernetes) => {
      expect(objects.length).toBeGreaterThan(0);
      for (const object of objects) await validateObject(object, kubernetes);
    },
  );

  it(`uses no field Kubernetes ${oldestKubernetes.version} does not know`, () => {
    for (const object of objects) {
      expect(unknownFields(object), `${object.kind}/${object.metadata.name}`).toEqual([]);
    }
  });

  it("gives every object a unique name within its kind", () => {
    const identities = kindsOf(objects);
    expect(new Set(identities).size).toBe(identities.length);
  });

  it("points every Service at pods that exist and expose the target port by name", () => {
    const podTemplates = workloadsOf(objects).map((workload: KubernetesObject) => workload.spec.template);
    for (const service of objects.filter((object) => object.kind === "Service")) {
      const selected = podTemplates.filter((template) =>
        matches(service.spec.selector, template.metadata.labels),
      );
      expect(selected, `Service ${service.metadata.name} selects no pod`).not.toHaveLength(0);
      for (const port of service.spec.ports as { targetPort: string }[]) {
        for (const template of selected) {
          const portNames = template.spec.containers.flatMap((c: { ports?: { name: string }[] }) =>
            (c.ports ?? []).map((p) => p.name),
          );
          expect(portNames, `Service ${service.metadata.name} targets ${port.targetPort}`).toContain(
            port.targetPort,
          );
        }
      }
    }
  });

  it("reads only Secrets it renders or that the values name, and runs as ServiceAccounts it renders", () => {
    const rendered = new Set(objects.filter((o) => o.kind === "Secret").map((o) => o.metadata.name));
    // The user's own Secrets, as the installs above name them.
    const named = new Set(
      (options.set ?? [])
        .filter((assignment) => /existingSecret=/.test(assignment))
        .map((assignment) => assignment.split("=")[1]),
    );
    for (const file of options.valuesFiles ?? []) {
      const text = readFileSync(join(chartDir, file), "utf8");
      for (const match of text.matchAll(/existingSecret: (\S+)/g)) named.add(match[1] as string);
    }
    for (const workload of workloadsOf(objects)) {
      const pod = workload.spec.template.spec;
      const fromEnv = pod.containers.flatMap(
        (c: { env?: { valueFrom?: { secretKeyRef?: { name: string } } }[] }) =>
          (c.env ?? []).flatMap((e) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef.name] : [])),
      );
      const fromVolumes = (pod.volumes ?? []).flatMap((v: { secret?: { secretName: string } }) =>
        v.secret ? [v.secret.secretName] : [],
      );
      for (const name of [...fromEnv, ...fromVolumes]) {
        expect(rendered.has(name) || named.has(name), `${workload.metadata.name} reads Secret ${name}`).toBe(
          true,
        );
      }
      if (pod.serviceAccountName) {
        expect(kindsOf(objects)).toContain(`ServiceAccount/${pod.serviceAccountName}`);
      }
    }
  });

  it("selects each workload's pods with labels its pod template carries", () => {
    for (const workload of workloadsOf(objects)) {
      expect(matches(workload.spec.selector.matchLabels, workload.spec.template.metadata.labels)).toBe(true);
    }
  });
});

describe("the unknown-field check", () => {
  it("finds a field that is not in the schema (so the clean results above mean something)", () => {
    const objects = parseManifests(render());
    const daemonSet = objects.find((object) => object.kind === "DaemonSet") as KubernetesObject;
    const tampered = structuredClone(daemonSet);
    tampered.spec.template.spec.containers[0].securityContext.privilegd = true;
    tampered.spec.template.spec.hostPid = true;
    expect(unknownFields(tampered).sort()).toEqual([
      "spec.template.spec.containers[0].securityContext.privilegd",
      "spec.template.spec.hostPid",
    ]);
  });

  it("finds a field newer than the oldest version, which the newest version's schema accepts", async () => {
    const objects = parseManifests(render());
    const daemonSet = objects.find((object) => object.kind === "DaemonSet") as KubernetesObject;
    const tampered = structuredClone(daemonSet);
    // Pod-level resources arrived in Kubernetes 1.32.
    tampered.spec.template.spec.resources = { limits: { memory: "1Gi" } };
    await validateObject(tampered, newestKubernetes);
    expect(unknownFields(tampered)).toEqual(["spec.template.spec.resources"]);
  });
});
