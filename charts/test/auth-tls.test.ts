import { describe, expect, it } from "vitest";
import { render } from "./helm.js";
import {
  type Container,
  type EnvVar,
  envOf,
  findObject,
  type KubernetesObject,
  parseManifests,
  soleContainer,
} from "./manifests.js";

// The collector refuses to listen beyond loopback without tokens
// (packages/collector/src/auth/startup-policy.ts), so every install carries them; TLS is
// opt-in through tls.existingSecret.

const tlsDir = "/etc/periscope/tls";
const tokenEnv = {
  collector: {
    PERISCOPE_ADMIN_TOKEN: "admin-token",
    PERISCOPE_UI_TOKEN: "ui-token",
    PERISCOPE_AGENT_TOKEN: "agent-token",
  },
  agent: { PERISCOPE_AGENT_TOKEN: "agent-token" },
  // The UI's server holds the editor token, never the admin one (least privilege for UI users).
  ui: { PERISCOPE_API_TOKEN: "ui-token" },
};
const tlsEnvNames = [
  "PERISCOPE_TLS_CERT",
  "PERISCOPE_TLS_KEY",
  "PERISCOPE_COLLECTOR_TLS",
  "PERISCOPE_COLLECTOR_CA",
  "NODE_EXTRA_CA_CERTS",
];

interface Workloads {
  collector: KubernetesObject;
  agent: KubernetesObject;
  ui: KubernetesObject;
}

function workloads(objects: KubernetesObject[]): Workloads {
  return {
    collector: findObject(objects, "Deployment", "periscope-collector"),
    agent: findObject(objects, "DaemonSet", "periscope-agent"),
    ui: findObject(objects, "Deployment", "periscope-ui"),
  };
}

function renderWith(set: string[]): { objects: KubernetesObject[]; workloads: Workloads } {
  const objects = parseManifests(render({ set }));
  return { objects, workloads: workloads(objects) };
}

function secretRefOf(variable: EnvVar): { name: string; key: string } | undefined {
  return variable.valueFrom?.secretKeyRef;
}

interface SecretVolume {
  name: string;
  secret?: { secretName: string; items?: { key: string; path: string }[] };
}

/** The Secret and key a file path inside the container comes from, through its mounts and volumes. */
function secretFileAt(workload: KubernetesObject, path: string): { secretName: string; key: string } {
  const container = soleContainer(workload);
  const mount = (container.volumeMounts as { name: string; mountPath: string }[]).find((m) =>
    path.startsWith(`${m.mountPath}/`),
  );
  if (!mount) throw new Error(`${workload.metadata.name} mounts nothing at ${path}`);
  const volumes = workload.spec.template.spec.volumes as SecretVolume[];
  const secret = volumes.find((v) => v.name === mount.name)?.secret;
  const item = secret?.items?.find((i) => `${mount.mountPath}/${i.path}` === path);
  if (!secret || !item) throw new Error(`${path} in ${workload.metadata.name} is no key of a Secret`);
  return { secretName: secret.secretName, key: item.key };
}

function secretVolumesOf(workload: KubernetesObject): SecretVolume[] {
  return (workload.spec.template.spec.volumes as SecretVolume[]).filter((v) => v.secret !== undefined);
}

function envNames(container: Container): string[] {
  return (container.env ?? []).map((variable) => variable.name);
}

describe("tokens", () => {
  const { objects, workloads: defaults } = renderWith([]);

  it("are generated into one Secret: three different random 32-character tokens", () => {
    const secret = findObject(objects, "Secret", "periscope-auth");
    const keys = ["admin-token", "agent-token", "ui-token"];
    expect(Object.keys(secret.data).sort()).toEqual(keys);
    const values = keys.map((key) => Buffer.from(secret.data[key], "base64").toString());
    for (const value of values) expect(value).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(new Set(values).size).toBe(3);
  });

  it("never give the UI the admin token", () => {
    for (const { workloads: rendered } of [renderWith([]), renderWith(["auth.existingSecret=team-tokens"])]) {
      const ui = soleContainer(rendered.ui);
      const keys = (ui.env ?? []).map((variable) => secretRefOf(variable)?.key).filter(Boolean);
      expect(keys).toEqual(["ui-token"]);
    }
  });

  it("reach every component from that same Secret, each under the variable it reads", () => {
    for (const [component, variables] of Object.entries(tokenEnv)) {
      const container = soleContainer(defaults[component as keyof Workloads]);
      for (const [name, key] of Object.entries(variables)) {
        expect(secretRefOf(envOf(container, name)), `${component} ${name}`).toEqual({
          name: "periscope-auth",
          key,
        });
      }
    }
  });

  it("never appear in a pod spec as a literal value", () => {
    const secret = findObject(objects, "Secret", "periscope-auth");
    const tokens = Object.values(secret.data as Record<string, string>).map((value) =>
      Buffer.from(value, "base64").toString(),
    );
    const podSpecs = JSON.stringify(Object.values(defaults).map((w) => w.spec));
    for (const token of tokens) expect(podSpecs).not.toContain(token);
  });

  it("come from the user's Secret, and none is generated, when auth.existingSecret is set", () => {
    const { objects: own, workloads: ownWorkloads } = renderWith(["auth.existingSecret=team-tokens"]);
    expect(own.some((object) => object.metadata.name === "periscope-auth")).toBe(false);
    for (const [component, variables] of Object.entries(tokenEnv)) {
      const container = soleContainer(ownWorkloads[component as keyof Workloads]);
      for (const [name, key] of Object.entries(variables)) {
        expect(secretRefOf(envOf(container, name))).toEqual({ name: "team-tokens", key });
      }
    }
  });

  it("follow fullnameOverride in the generated Secret's name", () => {
    const objects = parseManifests(render({ set: ["fullnameOverride=obs"] }));
    findObject(objects, "Secret", "obs-auth");
    const agent = soleContainer(findObject(objects, "DaemonSet", "obs-agent"));
    expect(secretRefOf(envOf(agent, "PERISCOPE_AGENT_TOKEN"))?.name).toBe("obs-auth");
  });
});

describe("TLS off (the default)", () => {
  const { workloads: defaults } = renderWith([]);

  it("mounts no certificate and sets no TLS variable anywhere", () => {
    for (const workload of Object.values(defaults)) {
      const container = soleContainer(workload);
      expect(secretVolumesOf(workload), workload.metadata.name).toEqual([]);
      expect(container.volumeMounts.map((m: { mountPath: string }) => m.mountPath)).not.toContain(tlsDir);
      expect(envNames(container).filter((name) => tlsEnvNames.includes(name))).toEqual([]);
    }
  });

  it("has the UI call http and the kubelet probe the collector over http", () => {
    const collector = soleContainer(defaults.collector);
    expect(envOf(soleContainer(defaults.ui), "PERISCOPE_API_URL").value).toBe(
      "http://periscope-collector:8080",
    );
    for (const probe of [collector.readinessProbe, collector.livenessProbe]) {
      expect(probe.httpGet.scheme).toBeUndefined();
    }
  });
});

describe("TLS on (tls.existingSecret)", () => {
  const { workloads: tls } = renderWith(["tls.existingSecret=collector-cert"]);

  it("gives the collector the key pair from that Secret", () => {
    const collector = soleContainer(tls.collector);
    expect(secretFileAt(tls.collector, envOf(collector, "PERISCOPE_TLS_CERT").value ?? "")).toEqual({
      secretName: "collector-cert",
      key: "tls.crt",
    });
    expect(secretFileAt(tls.collector, envOf(collector, "PERISCOPE_TLS_KEY").value ?? "")).toEqual({
      secretName: "collector-cert",
      key: "tls.key",
    });
    const mount = collector.volumeMounts.find((m: { mountPath: string }) => m.mountPath === tlsDir);
    expect(mount.readOnly).toBe(true);
  });

  it("gives agents and the UI the CA only, never the private key", () => {
    const agent = soleContainer(tls.agent);
    const ui = soleContainer(tls.ui);
    expect(envOf(agent, "PERISCOPE_COLLECTOR_TLS").value).toBe("true");
    expect(secretFileAt(tls.agent, envOf(agent, "PERISCOPE_COLLECTOR_CA").value ?? "")).toEqual({
      secretName: "collector-cert",
      key: "ca.crt",
    });
    expect(secretFileAt(tls.ui, envOf(ui, "NODE_EXTRA_CA_CERTS").value ?? "")).toEqual({
      secretName: "collector-cert",
      key: "ca.crt",
    });
    for (const workload of [tls.agent, tls.ui]) {
      const keys = secretVolumesOf(workload).flatMap((v) => v.secret?.items?.map((i) => i.key) ?? ["*"]);
      expect(keys, workload.metadata.name).toEqual(["ca.crt"]);
    }
  });

  it("switches the UI to https and the collector's probes to HTTPS", () => {
    const collector = soleContainer(tls.collector);
    expect(envOf(soleContainer(tls.ui), "PERISCOPE_API_URL").value).toBe("https://periscope-collector:8080");
    for (const probe of [collector.readinessProbe, collector.livenessProbe]) {
      expect(probe.httpGet.scheme).toBe("HTTPS");
    }
  });

  it("trusts the certificate itself when tls.caKey=tls.crt (self-signed)", () => {
    const { workloads: selfSigned } = renderWith(["tls.existingSecret=collector-cert", "tls.caKey=tls.crt"]);
    const agent = soleContainer(selfSigned.agent);
    expect(secretFileAt(selfSigned.agent, envOf(agent, "PERISCOPE_COLLECTOR_CA").value ?? "")).toEqual({
      secretName: "collector-cert",
      key: "tls.crt",
    });
  });

  it("leaves agents and the UI on the public CA roots when tls.caKey is empty", () => {
    const { workloads: publicCa } = renderWith(["tls.existingSecret=collector-cert", "tls.caKey="]);
    const agent = soleContainer(publicCa.agent);
    expect(envOf(agent, "PERISCOPE_COLLECTOR_TLS").value).toBe("true");
    expect(envNames(agent)).not.toContain("PERISCOPE_COLLECTOR_CA");
    expect(envNames(soleContainer(publicCa.ui))).not.toContain("NODE_EXTRA_CA_CERTS");
    expect(secretVolumesOf(publicCa.agent)).toEqual([]);
    expect(secretVolumesOf(publicCa.ui)).toEqual([]);
  });
});
