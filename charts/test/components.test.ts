import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chartDir, releaseNamespace, render } from "./helm.js";
import { envOf, findObject, type KubernetesObject, parseManifests, soleContainer } from "./manifests.js";

const defaults = parseManifests(render());

describe("agent DaemonSet", () => {
  const daemonSet = findObject(defaults, "DaemonSet", "periscope-agent");
  const pod = daemonSet.spec.template.spec;
  const agent = soleContainer(daemonSet);
  const hostPathOf = (podSpec: KubernetesObject["spec"], volumeName: string) =>
    podSpec.volumes.find((v: { name: string }) => v.name === volumeName).hostPath?.path;

  it("runs privileged in the host's pid namespace by default", () => {
    expect(pod.hostPID).toBe(true);
    expect(agent.securityContext).toEqual({ privileged: true });
  });

  it("mounts BTF, tracefs, debugfs, cgroup and /proc read-only, and only its spool writable", () => {
    const mounts = Object.fromEntries(
      agent.volumeMounts
        .filter((m: { name: string }) => m.name !== "collector-ca")
        .map((m: { mountPath: string; name: string; readOnly?: boolean }) => [
          m.mountPath,
          { hostPath: hostPathOf(pod, m.name), readOnly: m.readOnly ?? false },
        ]),
    );
    expect(mounts).toEqual({
      "/sys/kernel/btf": { hostPath: "/sys/kernel/btf", readOnly: true },
      "/sys/kernel/tracing": { hostPath: "/sys/kernel/tracing", readOnly: true },
      "/sys/kernel/debug": { hostPath: "/sys/kernel/debug", readOnly: true },
      "/sys/fs/cgroup": { hostPath: "/sys/fs/cgroup", readOnly: true },
      "/host/proc": { hostPath: "/proc", readOnly: true },
      "/var/lib/periscope/spool": { hostPath: "/var/lib/periscope/agent-spool", readOnly: false },
    });
  });

  it("leaves debugfs out on request (kernels built without it)", () => {
    const objects = parseManifests(render({ set: ["agent.debugfs=false"] }));
    const podSpec = findObject(objects, "DaemonSet", "periscope-agent").spec.template.spec;
    expect(podSpec.volumes.map((v: { name: string }) => v.name)).not.toContain("debugfs");
    expect(podSpec.containers[0].volumeMounts.map((m: { name: string }) => m.name)).not.toContain("debugfs");
  });

  it("tolerates every taint, so every node has an agent", () => {
    expect(pod.tolerations).toEqual([{ operator: "Exists" }]);
  });

  it("runs at system-node-critical priority unless told otherwise", () => {
    expect(pod.priorityClassName).toBe("system-node-critical");
    const objects = parseManifests(render({ set: ["agent.priorityClassName="] }));
    expect(findObject(objects, "DaemonSet", "periscope-agent").spec.template.spec).not.toHaveProperty(
      "priorityClassName",
    );
  });

  it("caps its own heap below its memory limit", () => {
    expect(agent.resources.limits.memory).toBe("1Gi");
    // 60 % of 1024 MiB.
    expect(envOf(agent, "NODE_OPTIONS").value).toBe("--max-old-space-size=614");
    const cases: [string, string][] = [
      ["768Mi", "--max-old-space-size=460"],
      ["2G", "--max-old-space-size=1144"],
      ["536870912", "--max-old-space-size=307"],
    ];
    for (const [limit, expected] of cases) {
      const objects = parseManifests(render({ set: [`agent.resources.limits.memory=${limit}`] }));
      const container = soleContainer(findObject(objects, "DaemonSet", "periscope-agent"));
      expect(envOf(container, "NODE_OPTIONS").value, limit).toBe(expected);
    }
    const half = parseManifests(render({ set: ["agent.heapPercent=50"] }));
    expect(envOf(soleContainer(findObject(half, "DaemonSet", "periscope-agent")), "NODE_OPTIONS").value).toBe(
      "--max-old-space-size=512",
    );
  });

  it("tells the agent its memory limit, which it sizes its buffers under and sheds load near", () => {
    // Bytes from the container's own limit, whatever agent.resources.limits.memory says.
    expect(envOf(agent, "PERISCOPE_MEMORY_LIMIT").valueFrom).toEqual({
      resourceFieldRef: { containerName: "agent", resource: "limits.memory" },
    });
  });

  it("is ready when its local API, on loopback only, says so at /v1/ready", () => {
    const apiAddress = envOf(agent, "PERISCOPE_AGENT_API_ADDR").value;
    expect(apiAddress).toBe("127.0.0.1:4781");
    const command = agent.readinessProbe.exec.command as string[];
    expect(command.slice(0, 2)).toEqual(["node", "-e"]);
    // r.ok: 200 only; /v1/ready answers 503 until attached and the collector has answered.
    expect(command[2]).toContain(`fetch('http://${apiAddress}/v1/ready')`);
    expect(command[2]).toContain("r.ok ? 0 : 1");
    expect(agent.ports).toBeUndefined();
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

  it("names itself and its node after the node it runs on, and dials the collector's gRPC Service", () => {
    expect(envOf(agent, "PERISCOPE_AGENT_ID").valueFrom?.fieldRef?.fieldPath).toBe("spec.nodeName");
    expect(envOf(agent, "PERISCOPE_NODE_NAME").valueFrom?.fieldRef?.fieldPath).toBe("spec.nodeName");
    expect(envOf(agent, "PERISCOPE_COLLECTOR_ADDR").value).toBe("periscope-collector:4770");
    expect(agent.command).toEqual(["node", "packages/agent/dist/main.js"]);
  });

  it("adds only the listed capabilities, all others dropped, when privileged is turned off", () => {
    const objects = parseManifests(render({ set: ["agent.securityContext.privileged=false"] }));
    const container = soleContainer(findObject(objects, "DaemonSet", "periscope-agent"));
    expect(container.securityContext).toEqual({
      privileged: false,
      capabilities: {
        drop: ["ALL"],
        add: ["BPF", "PERFMON", "SYS_PTRACE", "DAC_READ_SEARCH", "CHECKPOINT_RESTORE", "SYS_RESOURCE"],
      },
      // The runtime's default seccomp profile refuses bpf(2) and perf_event_open(2).
      seccompProfile: { type: "Unconfined" },
    });
  });

  it("comments every capability it adds with the reason, in values.yaml", () => {
    const lines = readFileSync(join(chartDir, "values.yaml"), "utf8").split("\n");
    const listed = lines
      .map((line, index) => ({ line, index }))
      .filter(({ line }) => /^ {6}- [A-Z_]+$/.test(line));
    expect(listed.map(({ line }) => line.trim().slice(2))).toEqual([
      "BPF",
      "PERFMON",
      "SYS_PTRACE",
      "DAC_READ_SEARCH",
      "CHECKPOINT_RESTORE",
      "SYS_RESOURCE",
    ]);
    for (const { line, index } of listed) expect(lines[index - 1], line).toMatch(/^ {6}# \S/);
  });

  it("gets no Kubernetes API token and no role: agents never watch the cluster", () => {
    expect(pod.automountServiceAccountToken).toBe(false);
    const serviceAccount = findObject(defaults, "ServiceAccount", pod.serviceAccountName);
    expect(serviceAccount.automountServiceAccountToken).toBe(false);
    const bindings = defaults.filter((o) => o.kind === "ClusterRoleBinding" || o.kind === "RoleBinding");
    for (const binding of bindings) {
      expect(binding.subjects.map((s: { name: string }) => s.name)).not.toContain(pod.serviceAccountName);
    }
  });
});

describe("collector RBAC", () => {
  const statefulSet = findObject(defaults, "StatefulSet", "periscope-collector");
  const pod = statefulSet.spec.template.spec;

  it("may get, list and watch the kinds that name pods and their owners, and nothing else", () => {
    const role = findObject(defaults, "ClusterRole", "periscope-collector");
    const granted = role.rules.flatMap(
      (rule: { apiGroups: string[]; resources: string[]; verbs: string[] }) =>
        rule.resources.map((resource) => `${rule.apiGroups.join(",")}/${resource}:${rule.verbs.join(",")}`),
    );
    expect(granted.sort()).toEqual(
      [
        "/nodes",
        "/pods",
        "/services",
        "apps/daemonsets",
        "apps/deployments",
        "apps/replicasets",
        "apps/statefulsets",
        "batch/cronjobs",
        "batch/jobs",
        "discovery.k8s.io/endpointslices",
      ].map((r) => `${r}:get,list,watch`),
    );
  });

  it("binds that role to the collector's ServiceAccount, whose token its pods mount", () => {
    const binding = findObject(defaults, "ClusterRoleBinding", "periscope-collector");
    expect(binding.roleRef).toEqual({
      apiGroup: "rbac.authorization.k8s.io",
      kind: "ClusterRole",
      name: "periscope-collector",
    });
    expect(binding.subjects).toEqual([
      { kind: "ServiceAccount", name: pod.serviceAccountName, namespace: releaseNamespace },
    ]);
    expect(pod.automountServiceAccountToken).toBe(true);
    // The collector's watch starts from that in-cluster account (packages/collector/src/kubernetes).
    expect(envOf(soleContainer(statefulSet), "PERISCOPE_KUBERNETES").value).toBe("auto");
  });

  it("is left out, with the token, when collector.kubernetes.enabled=false", () => {
    const objects = parseManifests(render({ set: ["collector.kubernetes.enabled=false"] }));
    expect(objects.filter((o) => o.kind.startsWith("ClusterRole"))).toEqual([]);
    const collector = findObject(objects, "StatefulSet", "periscope-collector");
    expect(collector.spec.template.spec.automountServiceAccountToken).toBe(false);
    expect(envOf(soleContainer(collector), "PERISCOPE_KUBERNETES").value).toBe("off");
  });

  it("is the only cluster-wide access the chart grants", () => {
    const clusterRoles = defaults.filter((o) => o.kind === "ClusterRole" || o.kind === "Role");
    expect(clusterRoles.map((o) => o.metadata.name)).toEqual(["periscope-collector"]);
  });
});

describe("collector PodDisruptionBudget", () => {
  it("lets one collector go at a time, so a drain is never blocked", () => {
    const budget = findObject(defaults, "PodDisruptionBudget", "periscope-collector");
    expect(budget.spec.maxUnavailable).toBe(1);
    expect(budget.spec.selector.matchLabels).toEqual(
      findObject(defaults, "StatefulSet", "periscope-collector").spec.template.metadata.labels,
    );
    const off = parseManifests(render({ set: ["collector.podDisruptionBudget.enabled=false"] }));
    expect(off.some((o) => o.kind === "PodDisruptionBudget")).toBe(false);
  });
});

describe("NetworkPolicies (networkPolicy.enabled)", () => {
  const objects = parseManifests(
    render({
      set: [
        "networkPolicy.enabled=true",
        "networkPolicy.apiFrom[0].podSelector.matchLabels.app=prometheus",
        "networkPolicy.uiFrom[0].namespaceSelector.matchLabels.team=edge",
      ],
    }),
  );
  const labelsOf = (kind: string, name: string) =>
    findObject(objects, kind, name).spec.template.metadata.labels as Record<string, string>;

  it("are off by default", () => {
    expect(defaults.some((o) => o.kind === "NetworkPolicy")).toBe(false);
  });

  it("admit nothing to the agents", () => {
    const policy = findObject(objects, "NetworkPolicy", "periscope-agent");
    expect(policy.spec.podSelector.matchLabels).toEqual(labelsOf("DaemonSet", "periscope-agent"));
    expect(policy.spec.policyTypes).toEqual(["Ingress"]);
    expect(policy.spec.ingress).toEqual([]);
  });

  it("admit agents to the collector's gRPC port, and the UI and apiFrom to its HTTP port", () => {
    const policy = findObject(objects, "NetworkPolicy", "periscope-collector");
    expect(policy.spec.podSelector.matchLabels).toEqual(labelsOf("StatefulSet", "periscope-collector"));
    expect(policy.spec.ingress).toEqual([
      {
        from: [{ podSelector: { matchLabels: labelsOf("DaemonSet", "periscope-agent") } }],
        ports: [{ port: "grpc", protocol: "TCP" }],
      },
      {
        from: [
          { podSelector: { matchLabels: labelsOf("Deployment", "periscope-ui") } },
          { podSelector: { matchLabels: { app: "prometheus" } } },
        ],
        ports: [{ port: "http", protocol: "TCP" }],
      },
    ]);
  });

  it("admit uiFrom to the UI's port", () => {
    const policy = findObject(objects, "NetworkPolicy", "periscope-ui");
    expect(policy.spec.ingress).toEqual([
      {
        ports: [{ port: "http", protocol: "TCP" }],
        from: [{ namespaceSelector: { matchLabels: { team: "edge" } } }],
      },
    ]);
  });
});

describe("collector StatefulSet", () => {
  const collector = soleContainer(findObject(defaults, "StatefulSet", "periscope-collector"));
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
      expect(probe.httpGet).toEqual({ path: "/api/v1/health", port: "http", scheme: "HTTPS" });
    }
  });

  it("runs as a non-root user", () => {
    const pod = findObject(defaults, "StatefulSet", "periscope-collector").spec.template.spec;
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(collector.securityContext.allowPrivilegeEscalation).toBe(false);
  });

  it.each([
    ["collector", "StatefulSet", "periscope-collector"],
    ["ui", "Deployment", "periscope-ui"],
  ])("runs the %s as the service user its image creates", (image, kind, name) => {
    const dockerfile = readFileSync(
      join(chartDir, "..", "..", "deploy", "docker", `${image}.Dockerfile`),
      "utf8",
    );
    const uid = Number(/useradd [^\n]*--uid (\d+)/.exec(dockerfile)?.[1]);
    expect(uid).toBeGreaterThan(0);
    const pod = findObject(defaults, kind, name).spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsUser: uid, runAsGroup: uid, fsGroup: uid });
  });
});

describe("ui Deployment", () => {
  it("calls the collector's HTTP Service and serves on port 3000", () => {
    const ui = soleContainer(findObject(defaults, "Deployment", "periscope-ui"));
    expect(envOf(ui, "PERISCOPE_API_URL").value).toBe("https://periscope-collector:8080");
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
    expect(envOf(ui, "PERISCOPE_API_URL").value).toBe("https://periscope-collector:9090");
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
