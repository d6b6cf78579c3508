import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { chartDir, defaultKubeVersion, releaseName, releaseNamespace, render, runHelm } from "./helm.js";
import { envOf, findObject, parseManifests, soleContainer } from "./manifests.js";

// `helm template` never prints NOTES.txt and `helm install --dry-run` needs a cluster, so
// the notes are rendered through a copy of the chart in which one extra template passes
// NOTES.txt (copied where .Files can read it) through `tpl` with the same values.
const previewChart = mkdtempSync(join(tmpdir(), "periscope-notes-"));
cpSync(chartDir, previewChart, { recursive: true });
cpSync(join(chartDir, "templates", "NOTES.txt"), join(previewChart, "notes-source.txt"));
writeFileSync(
  join(previewChart, "templates", "notes-preview.yaml"),
  'notes: {{ tpl (.Files.Get "notes-source.txt") . | toJson }}\n',
);

afterAll(() => rmSync(previewChart, { recursive: true, force: true }));

function notes(set: string[] = []): string {
  const args = ["template", releaseName, previewChart, "--namespace", releaseNamespace];
  args.push("--kube-version", defaultKubeVersion, "--show-only", "templates/notes-preview.yaml");
  for (const assignment of set) args.push("--set", assignment);
  const result = runHelm(args);
  if (result.status !== 0) throw new Error(result.stderr);
  return (parse(result.stdout.replace(/^---\n# Source: .*\n/, "")) as { notes: string }).notes;
}

describe("NOTES.txt", () => {
  it("says how to open the UI: a port-forward to the UI Service by default", () => {
    const ui = findObject(parseManifests(render()), "Service", "periscope-ui");
    expect(notes()).toContain(
      `kubectl port-forward --namespace ${releaseNamespace} service/${ui.metadata.name} 3000:3000\n  then open http://localhost:3000/`,
    );
  });

  it("gives the Ingress's address instead when there is one", () => {
    const text = notes([
      "ui.ingress.enabled=true",
      "ui.ingress.host=obs.example.org",
      "ui.ingress.tlsSecretName=t",
    ]);
    expect(text).toContain("https://obs.example.org/");
    expect(text).not.toContain("port-forward");
  });

  it("reads the admin token from the Secret and key the collector takes it from", () => {
    for (const set of [[], ["auth.existingSecret=team-tokens"]]) {
      const collector = soleContainer(
        findObject(parseManifests(render({ set })), "StatefulSet", "periscope-collector"),
      );
      const ref = envOf(collector, "PERISCOPE_ADMIN_TOKEN").valueFrom?.secretKeyRef;
      expect(notes(set)).toContain(
        `kubectl get secret --namespace ${releaseNamespace} ${ref?.name} -o jsonpath='{.data.${ref?.key}}' | base64 -d`,
      );
    }
  });

  it("states the Pod Security level the agent needs and the label that grants it", () => {
    expect(notes()).toContain(
      `kubectl label namespace ${releaseNamespace} pod-security.kubernetes.io/enforce=privileged`,
    );
    expect(notes(["agent.enabled=false"])).not.toContain("pod-security");
  });

  it("says where the generated CA is, and warns when TLS is off", () => {
    expect(notes()).toContain("-o jsonpath='{.data.ca\\.crt}' | base64 -d > periscope-ca.crt");
    expect(notes(["tls.enabled=false"])).toContain(
      "WARNING: tls.enabled=false: agent and UI tokens cross the pod network in plain text.",
    );
  });
});
