import { createHash, createPrivateKey, X509Certificate } from "node:crypto";
import type { AddressInfo } from "node:net";
import { connect, createServer } from "node:tls";
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
// (packages/collector/src/auth/startup-policy.ts), so every install carries them, and TLS
// is on by default so those tokens never cross the network in the clear (#15).

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
    collector: findObject(objects, "StatefulSet", "periscope-collector"),
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

  it("make every user sign in with their own token once the UI is reachable through an Ingress", () => {
    const signIn = (set: string[]) =>
      envOf(soleContainer(renderWith(set).workloads.ui), "PERISCOPE_UI_SIGN_IN").value;
    expect(signIn([])).toBe("auto");
    expect(signIn(["ui.ingress.enabled=true"])).toBe("required");
    expect(signIn(["ui.ingress.enabled=true", "ui.signIn=off"])).toBe("off");
    expect(() => renderWith(["ui.signIn=sometimes"])).toThrow(/signIn/);
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
    findObject(objects, "Secret", "obs-collector-tls");
    const agent = soleContainer(findObject(objects, "DaemonSet", "obs-agent"));
    expect(secretRefOf(envOf(agent, "PERISCOPE_AGENT_TOKEN"))?.name).toBe("obs-auth");
  });
});

/** Go's toJson of a map: keys sorted, no spaces; base64 values need no escaping. */
function sha256OfData(data: Record<string, string>): string {
  const sorted = Object.fromEntries(Object.entries(data).sort(([a], [b]) => a.localeCompare(b)));
  return createHash("sha256").update(JSON.stringify(sorted)).digest("hex");
}

function annotationsOf(workload: KubernetesObject): Record<string, string> {
  return workload.spec.template.metadata.annotations ?? {};
}

function pem(secret: KubernetesObject, key: string): string {
  return Buffer.from(secret.data[key], "base64").toString();
}

describe("TLS on by default, with a certificate the chart makes", () => {
  const { objects, workloads: defaults } = renderWith([]);
  const secret = findObject(objects, "Secret", "periscope-collector-tls");

  it("keeps a CA and a certificate for the collector Service's names in one kubernetes.io/tls Secret", () => {
    expect(secret.type).toBe("kubernetes.io/tls");
    const ca = new X509Certificate(pem(secret, "ca.crt"));
    const cert = new X509Certificate(pem(secret, "tls.crt"));
    expect(ca.ca).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.verify(ca.publicKey), "the certificate is signed by the CA").toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(pem(secret, "tls.key")))).toBe(true);
    expect(cert.subjectAltName?.split(", ").sort()).toEqual(
      [
        "periscope-collector",
        "periscope-collector.observability",
        "periscope-collector.observability.svc",
        "periscope-collector.observability.svc.cluster.local",
      ].map((name) => `DNS:${name}`),
    );
    const days = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86_400_000;
    expect(Math.round(days)).toBe(3650);
  });

  it("names the host agents dial in the certificate", () => {
    const cert = new X509Certificate(pem(secret, "tls.crt"));
    const host = (envOf(soleContainer(defaults.agent), "PERISCOPE_COLLECTOR_ADDR").value ?? "").split(":")[0];
    expect(cert.checkHost(host ?? "")).toBe(host);
    const uiUrl = new URL(envOf(soleContainer(defaults.ui), "PERISCOPE_API_URL").value ?? "");
    expect(cert.checkHost(uiUrl.hostname)).toBe(uiUrl.hostname);
  });

  it("completes a TLS handshake as an agent would: the collector's key pair, verified with the CA for the Service name", async () => {
    const server = createServer({ key: pem(secret, "tls.key"), cert: pem(secret, "tls.crt") }, (socket) =>
      socket.end(),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const host = (envOf(soleContainer(defaults.agent), "PERISCOPE_COLLECTOR_ADDR").value ?? "").split(
        ":",
      )[0];
      const authorized = await new Promise<boolean>((resolve, reject) => {
        const socket = connect(
          { host: "127.0.0.1", port, servername: host, ca: pem(secret, "ca.crt") },
          () => {
            resolve(socket.authorized);
            socket.destroy();
          },
        );
        socket.on("error", reject);
      });
      expect(authorized).toBe(true);
    } finally {
      server.close();
    }
  });

  it("gives the collector the key pair, and agents and the UI the CA only", () => {
    const collector = soleContainer(defaults.collector);
    expect(secretFileAt(defaults.collector, envOf(collector, "PERISCOPE_TLS_CERT").value ?? "")).toEqual({
      secretName: "periscope-collector-tls",
      key: "tls.crt",
    });
    expect(secretFileAt(defaults.collector, envOf(collector, "PERISCOPE_TLS_KEY").value ?? "")).toEqual({
      secretName: "periscope-collector-tls",
      key: "tls.key",
    });
    const agent = soleContainer(defaults.agent);
    expect(envOf(agent, "PERISCOPE_COLLECTOR_TLS").value).toBe("true");
    expect(secretFileAt(defaults.agent, envOf(agent, "PERISCOPE_COLLECTOR_CA").value ?? "")).toEqual({
      secretName: "periscope-collector-tls",
      key: "ca.crt",
    });
    expect(
      secretFileAt(defaults.ui, envOf(soleContainer(defaults.ui), "NODE_EXTRA_CA_CERTS").value ?? ""),
    ).toEqual({ secretName: "periscope-collector-tls", key: "ca.crt" });
    for (const workload of [defaults.agent, defaults.ui]) {
      const keys = secretVolumesOf(workload).flatMap((v) => v.secret?.items?.map((i) => i.key) ?? ["*"]);
      expect(keys, workload.metadata.name).toEqual(["ca.crt"]);
    }
  });

  it("has the UI call https and the kubelet probe the collector over HTTPS", () => {
    const collector = soleContainer(defaults.collector);
    expect(envOf(soleContainer(defaults.ui), "PERISCOPE_API_URL").value).toBe(
      "https://periscope-collector:8080",
    );
    for (const probe of [collector.readinessProbe, collector.livenessProbe]) {
      expect(probe.httpGet.scheme).toBe("HTTPS");
    }
  });
});

describe("pods roll when a Secret they read changes", () => {
  const { objects, workloads: defaults } = renderWith([]);
  const tokens = findObject(objects, "Secret", "periscope-auth");
  const tls = findObject(objects, "Secret", "periscope-collector-tls");

  it("carry the sums of the tokens' and the certificate's Secrets, as rendered", () => {
    for (const workload of Object.values(defaults)) {
      expect(annotationsOf(workload), workload.metadata.name).toMatchObject({
        "checksum/auth": sha256OfData(tokens.data),
        "checksum/tls": sha256OfData(tls.data),
      });
    }
  });

  it("carry the storage URL's sum on the collector, which changes with the URL", () => {
    const sumFor = (url: string) =>
      annotationsOf(renderWith(["storage.mode=external", `storage.external.url=${url}`]).workloads.collector)[
        "checksum/storage"
      ];
    expect(sumFor("http://a.example:8123")).toMatch(/^[0-9a-f]{64}$/);
    expect(sumFor("http://a.example:8123")).not.toBe(sumFor("http://b.example:8123"));
  });

  it("carry a sum for the user's Secrets too, which follows the Secret named", () => {
    const sumsWith = (name: string) =>
      annotationsOf(
        renderWith([`auth.existingSecret=${name}`, `tls.existingSecret=${name}-tls`]).workloads.agent,
      );
    const first = sumsWith("team-a");
    expect(first["checksum/auth"]).toMatch(/^[0-9a-f]{64}$/);
    expect(first["checksum/tls"]).toMatch(/^[0-9a-f]{64}$/);
    expect(sumsWith("team-b")["checksum/auth"]).not.toBe(first["checksum/auth"]);
  });
});

describe("TLS off (tls.enabled=false)", () => {
  const { objects, workloads: plain } = renderWith(["tls.enabled=false"]);

  it("makes no certificate, mounts none and sets no TLS variable anywhere", () => {
    expect(objects.some((object) => object.metadata.name === "periscope-collector-tls")).toBe(false);
    for (const workload of Object.values(plain)) {
      const container = soleContainer(workload);
      expect(secretVolumesOf(workload), workload.metadata.name).toEqual([]);
      expect(container.volumeMounts.map((m: { mountPath: string }) => m.mountPath)).not.toContain(tlsDir);
      expect(envNames(container).filter((name) => tlsEnvNames.includes(name))).toEqual([]);
      expect(annotationsOf(workload)).not.toHaveProperty("checksum/tls");
    }
  });

  it("has the UI call http and the kubelet probe the collector over http", () => {
    const collector = soleContainer(plain.collector);
    expect(envOf(soleContainer(plain.ui), "PERISCOPE_API_URL").value).toBe("http://periscope-collector:8080");
    for (const probe of [collector.readinessProbe, collector.livenessProbe]) {
      expect(probe.httpGet.scheme).toBeUndefined();
    }
  });
});

describe("TLS from the user's Secret (tls.existingSecret)", () => {
  const { objects, workloads: tls } = renderWith(["tls.existingSecret=collector-cert"]);

  it("generates no certificate and serves with the key pair from that Secret", () => {
    expect(objects.some((object) => object.metadata.name === "periscope-collector-tls")).toBe(false);
    const collector = soleContainer(tls.collector);
    expect(secretFileAt(tls.collector, envOf(collector, "PERISCOPE_TLS_KEY").value ?? "")).toEqual({
      secretName: "collector-cert",
      key: "tls.key",
    });
    const mount = collector.volumeMounts.find((m: { mountPath: string }) => m.mountPath === tlsDir);
    expect(mount.readOnly).toBe(true);
  });

  it("gives agents and the UI the CA only, never the private key", () => {
    const agent = soleContainer(tls.agent);
    expect(secretFileAt(tls.agent, envOf(agent, "PERISCOPE_COLLECTOR_CA").value ?? "")).toEqual({
      secretName: "collector-cert",
      key: "ca.crt",
    });
    for (const workload of [tls.agent, tls.ui]) {
      const keys = secretVolumesOf(workload).flatMap((v) => v.secret?.items?.map((i) => i.key) ?? ["*"]);
      expect(keys, workload.metadata.name).toEqual(["ca.crt"]);
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
