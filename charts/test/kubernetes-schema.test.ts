import { describe, expect, it } from "vitest";
import { type RenderOptions, render } from "./helm.js";
import { type KubernetesObject, kindsOf, parseManifests, validateObject, workloadsOf } from "./manifests.js";
import { listScenarios } from "./scenarios.js";

const installs: [string, RenderOptions][] = [
  ["default values", {}],
  ["storage.mode=clickhouse", { set: ["storage.mode=clickhouse"] }],
  [
    "storage.mode=external",
    { set: ["storage.mode=external", "storage.external.url=http://ch.example:8123"] },
  ],
  [
    "storage.mode=external with existingSecret",
    { set: ["storage.mode=external", "storage.external.existingSecret=ch"] },
  ],
  ["storage.mode=embedded", { set: ["storage.mode=embedded"] }],
  [
    "storage.mode=embedded without persistence",
    { set: ["storage.mode=embedded", "storage.embedded.persistence.enabled=false"] },
  ],
  ["agent and ui disabled", { set: ["agent.enabled=false", "ui.enabled=false"] }],
  ["auth.existingSecret", { set: ["auth.existingSecret=team-tokens"] }],
  ["tls.existingSecret", { set: ["tls.existingSecret=collector-cert"] }],
  ["tls.existingSecret on public CA roots", { set: ["tls.existingSecret=collector-cert", "tls.caKey="] }],
  ...listScenarios().map(({ name, valuesFile }): [string, RenderOptions] => [
    `ci/${name}`,
    { valuesFiles: [valuesFile] },
  ]),
];

function matches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

describe.each(installs)("render with %s", (_label, options) => {
  const objects = parseManifests(render(options));

  it("renders only objects valid against their Kubernetes schema", async () => {
    expect(objects.length).toBeGreaterThan(0);
    for (const object of objects) await validateObject(object);
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

  it("selects each workload's pods with labels its pod template carries", () => {
    for (const workload of workloadsOf(objects)) {
      expect(matches(workload.spec.selector.matchLabels, workload.spec.template.metadata.labels)).toBe(true);
    }
  });
});
