import { describe, expect, it } from "vitest";
import { releaseNamespace, render } from "./helm.js";
import { envOf, findObject, parseManifests, soleContainer } from "./manifests.js";

const defaults = parseManifests(render());

describe("agent DaemonSet", () => {
  const daemonSet = findObject(defaults, "DaemonSet", "periscope-agent");
  const pod = daemonSet.spec.template.spec;
  const agent = soleContainer(daemonSet);

  it("runs privileged in the host's pid namespace", () => {
    expect(pod.hostPID).toBe(true);
    expect(agent.securityContext.privileged).toBe(true);
  });

  it("mounts BTF and /proc read-only, tracefs and the disk spool from the host", () => {
    const hostPathOf = (volumeName: string) =>
      pod.volumes.find((v: { name: string }) => v.name === volumeName).hostPath.path;
    const mounts = Object.fromEntries(
      agent.volumeMounts.map((m: { mountPath: string; name: string; readOnly?: boolean }) => [
        m.mountPath,
        { hostPath: hostPathOf(m.name), readOnly: m.readOnly ?? false },
      ]),
    );
    expect(mounts).toEqual({
      "/sys/kernel/btf": { hostPath: "/sys/kernel/btf", readOnly: true },
      "/sys/kernel/tracing": { hostPath: "/sys/kernel/tracing", readOnly: false },
      "/host/proc": { hostPath: "/proc", readOnly: true },
      "/var/lib/periscope/spool": { hostPath: "/var/lib/periscope/agent-spool", readOnly: false },
    });
  });

  it("spools unacknowledged batches to its mount, within agent.spool.maxBytes", () => {
    expect(envOf(agent, "PERISCOPE_SPOOL_DIR").value).toBe("/var/lib/periscope/spool");
    expect(envOf(agent, "PERISCOPE_SPOOL_MAX_BYTES").value).toBe("1073741824");
    const objects = parseManifests(
      render({ set: ["agent.spool.hostPath=", "agent.spool.maxBytes=5000000"] }),
    );
    const daemonSetWithEmptyDir = findObject(objects, "DaemonSet", "periscope-agent");
    const spool = daemonSetWithEmptyDir.spec.template.spec.volumes.find(
      (v: { name: string }) => v.name === "spool",
    );
    expect(spool).toEqual({ name: "spool", emptyDir: {} });
    expect(envOf(soleContainer(daemonSetWithEmptyDir), "PERISCOPE_SPOOL_MAX_BYTES").value).toBe("5000000");
    const off = parseManifests(render({ set: ["agent.spool.enabled=false"] }));
    const container = soleContainer(findObject(off, "DaemonSet", "periscope-agent"));
    expect((container.env ?? []).some((e: { name: string }) => e.name === "PERISCOPE_SPOOL_DIR")).toBe(false);
  });

  it("names itself after its node and dials the collector's gRPC Service", () => {
    expect(envOf(agent, "PERISCOPE_AGENT_ID").valueFrom?.fieldRef?.fieldPath).toBe("spec.nodeName");
    expect(envOf(agent, "PERISCOPE_COLLECTOR_ADDR").value).toBe("periscope-collector:4770");
    expect(agent.command).toEqual(["node", "packages/agent/dist/main.js"]);
  });

  it("adds the eBPF capabilities instead when privileged is turned off", () => {
    const objects = parseManifests(render({ set: ["agent.securityContext.privileged=false"] }));
    const container = soleContainer(findObject(objects, "DaemonSet", "periscope-agent"));
    expect(container.securityContext).toEqual({
      privileged: false,
      capabilities: { add: ["BPF", "PERFMON", "SYS_ADMIN", "SYS_RESOURCE", "NET_ADMIN"] },
    });
  });

  it("may read, and only read, the objects that name pods and their owners", () => {
    const role = findObject(defaults, "ClusterRole", "periscope-agent");
    const granted = role.rules.flatMap((rule: { resources: string[]; verbs: string[] }) =>
      rule.resources.map((resource) => `${resource}:${rule.verbs.join(",")}`),
    );
    expect(granted.sort()).toEqual(
      ["deployments", "namespaces", "nodes", "pods", "replicasets", "services"].map(
        (r) => `${r}:get,list,watch`,
      ),
    );
    const binding = findObject(defaults, "ClusterRoleBinding", "periscope-agent");
    expect(binding.roleRef.name).toBe(role.metadata.name);
    expect(binding.subjects).toEqual([
      { kind: "ServiceAccount", name: pod.serviceAccountName, namespace: releaseNamespace },
    ]);
    findObject(defaults, "ServiceAccount", pod.serviceAccountName);
  });
});

describe("collector Deployment", () => {
  const collector = soleContainer(findObject(defaults, "Deployment", "periscope-collector"));
  const portNumber = (name: string) => collector.ports?.find((port) => port.name === name)?.containerPort;

  it("listens where its environment says: gRPC 4770, HTTP 8080 on all interfaces", () => {
    expect(portNumber("grpc")).toBe(4770);
    expect(portNumber("http")).toBe(8080);
    expect(envOf(collector, "PERISCOPE_GRPC_ADDR").value).toBe("0.0.0.0:4770");
    expect(envOf(collector, "PERISCOPE_HTTP_HOST").value).toBe("0.0.0.0");
    expect(envOf(collector, "PERISCOPE_HTTP_PORT").value).toBe("8080");
    expect(envOf(collector, "PERISCOPE_RETENTION_DAYS").value).toBe("7");
  });

  it("is probed on GET /api/v1/health", () => {
    for (const probe of [collector.readinessProbe, collector.livenessProbe]) {
      expect(probe.httpGet).toEqual({ path: "/api/v1/health", port: "http" });
    }
  });

  it("runs as a non-root user", () => {
    const pod = findObject(defaults, "Deployment", "periscope-collector").spec.template.spec;
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(collector.securityContext.allowPrivilegeEscalation).toBe(false);
  });
});

describe("ui Deployment", () => {
  it("calls the collector's HTTP Service and serves on port 3000", () => {
    const ui = soleContainer(findObject(defaults, "Deployment", "periscope-ui"));
    expect(envOf(ui, "PERISCOPE_API_URL").value).toBe("http://periscope-collector:8080");
    expect(envOf(ui, "HOSTNAME").value).toBe("0.0.0.0");
    expect(envOf(ui, "PORT").value).toBe("3000");
    expect(ui.ports).toEqual([{ name: "http", containerPort: 3000 }]);
  });

  it("follows the collector's Service ports when they change", () => {
    const objects = parseManifests(
      render({ set: ["collector.service.httpPort=9090", "collector.service.grpcPort=5000"] }),
    );
    const ui = soleContainer(findObject(objects, "Deployment", "periscope-ui"));
    const agent = soleContainer(findObject(objects, "DaemonSet", "periscope-agent"));
    expect(envOf(ui, "PERISCOPE_API_URL").value).toBe("http://periscope-collector:9090");
    expect(envOf(agent, "PERISCOPE_COLLECTOR_ADDR").value).toBe("periscope-collector:5000");
  });

  it("is exposed through an Ingress with TLS when asked", () => {
    const objects = parseManifests(
      render({
        set: [
          "ui.ingress.enabled=true",
          "ui.ingress.host=obs.example.org",
          "ui.ingress.tlsSecretName=obs-tls",
        ],
      }),
    );
    const ingress = findObject(objects, "Ingress", "periscope-ui");
    expect(ingress.spec.tls).toEqual([{ hosts: ["obs.example.org"], secretName: "obs-tls" }]);
    expect(ingress.spec.rules[0].http.paths[0].backend.service).toEqual({
      name: "periscope-ui",
      port: { name: "http" },
    });
  });
});
