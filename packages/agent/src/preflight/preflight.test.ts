import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CaptureProblems } from "./capture-problems.js";
import { btfState } from "./node-facts.js";
import { checkNode, kernelVersion, type NodeFacts, preflightMessage } from "./requirements.js";

// Root with every capability on a 6.1 kernel with BTF, tracefs and cgroup v2.
function healthyNode(overrides: Partial<NodeFacts> = {}): NodeFacts {
  return {
    kernelRelease: "6.1.0-57-arm64",
    uid: 0,
    effectiveCapabilitiesHex: "000001ffffffffff",
    memlockUnlimited: false,
    procfs: true,
    btf: { path: "/sys/kernel/btf/vmlinux", configured: false, state: "ok" },
    tracefs: { path: "/sys/kernel/tracing", configured: false, problem: "" },
    syscallTracepoints: true,
    missingTcpTracepoints: [],
    processExitTracepoint: true,
    uprobes: true,
    cgroupFs: "v2",
    probes: { ringBuffer: 1, forEachMapElem: 1 },
    addonProblem: "",
    socketTraceObject: { path: "/opt/periscope/bpf/socket_trace.bpf.o", exists: true },
    tcpHealthObject: { path: "/opt/periscope/bpf/tcp_health.bpf.o", exists: true },
    ...overrides,
  };
}

// CapEff of root in a default container runtime: no CAP_SYS_ADMIN, CAP_BPF, CAP_PERFMON, CAP_SYS_PTRACE.
const CONTAINER_DEFAULT_CAPS = "00000000a80425fb";

describe("preflight: what the agent needs from the node", () => {
  it("finds nothing missing on a complete node", () => {
    const report = checkNode(healthyNode());
    expect(report).toEqual({ fatal: [], degraded: [] });
    expect(preflightMessage(report, "6.1.0")).toBe("");
  });

  it("names every missing requirement in one message, not only the first", () => {
    const node = healthyNode({
      btf: { path: "/tmp/empty.btf", configured: true, state: "empty" },
      tracefs: {
        path: "/nonexistent/tracing",
        configured: true,
        problem:
          "no tracefs at /nonexistent/tracing (/nonexistent/tracing/events: No such file or directory; PERISCOPE_TRACEFS_PATH names it)",
      },
      syscallTracepoints: undefined,
      effectiveCapabilitiesHex: CONTAINER_DEFAULT_CAPS,
      uid: 0,
      cgroupFs: "none",
      tcpHealthObject: { path: "/opt/periscope/bpf/tcp_health.bpf.o", exists: false },
    });
    const report = checkNode(node);
    expect(report.fatal.map((f) => f.reason.split(":")[0])).toEqual([
      "capabilities",
      "kernel BTF",
      "tracefs",
    ]);
    expect(report.degraded.map((f) => f.feature)).toEqual(["tcp_health", "container_ids", "process_lookup"]);
    const message = preflightMessage(report, node.kernelRelease);
    expect(message).toBe(
      [
        "cannot start tracing on this node (kernel 6.1.0-57-arm64); missing:",
        "  - capabilities: periscope-agent must run as root or hold CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN) to load BPF programs",
        "  - kernel BTF: /tmp/empty.btf is empty — CO-RE relocations need the kernel's type information; point PERISCOPE_BTF_PATH at this kernel's BTF (e.g. from BTFHub) or unset it to use /sys/kernel/btf/vmlinux",
        "  - tracefs: no tracefs at /nonexistent/tracing (/nonexistent/tracing/events: No such file or directory; PERISCOPE_TRACEFS_PATH names it) — syscall tracepoints are attached through it",
        "and would run without:",
        "  - tcp_health: BPF object not found at /opt/periscope/bpf/tcp_health.bpf.o (the image must ship tcp_health.bpf.o; or set PERISCOPE_TCP_HEALTH_OBJECT)",
        "  - container_ids: cgroup fs: nothing mounted at /sys/fs/cgroup: records carry no container id",
        "  - process_lookup: CAP_SYS_PTRACE: /proc/<pid>/fd and maps of other users' processes cannot be read: their older sockets keep no process and their TLS libraries are not found",
      ].join("\n"),
    );
  });

  it("tells a node whose kernel has no BTF how to fix it", () => {
    const report = checkNode(
      healthyNode({ btf: { path: "/sys/kernel/btf/vmlinux", configured: false, state: "missing" } }),
    );
    expect(report.fatal).toEqual([
      {
        feature: "capture",
        reason:
          "kernel BTF: /sys/kernel/btf/vmlinux does not exist — CO-RE relocations need the kernel's type information; the kernel needs CONFIG_DEBUG_INFO_BTF=y, or set PERISCOPE_BTF_PATH to a BTF file for this kernel (e.g. from BTFHub)",
      },
    ]);
  });

  it("accepts a non-root process holding CAP_BPF and CAP_PERFMON, and refuses root without them", () => {
    const capable = healthyNode({
      uid: 1000,
      effectiveCapabilitiesHex: ((3n << 38n) | (1n << 19n)).toString(16),
    });
    expect(checkNode(capable).fatal).toEqual([]);
    expect(
      checkNode(healthyNode({ effectiveCapabilitiesHex: CONTAINER_DEFAULT_CAPS })).fatal[0]?.reason,
    ).toMatch(/must run as root/);
  });

  it("refuses a kernel below the ring-buffer floor, by probe or (when the probe cannot run) by version", () => {
    const old = healthyNode({
      kernelRelease: "5.4.0-150-generic",
      probes: { ringBuffer: 0, forEachMapElem: 0 },
    });
    expect(checkNode(old).fatal.map((f) => f.reason)).toContainEqual(
      "kernel 5.4.0-150-generic: BPF ring buffers (BPF_MAP_TYPE_RINGBUF, Linux 5.8) are missing; periscope-agent needs Linux 5.8 or later",
    );
    expect(checkNode(healthyNode({ kernelRelease: "5.4.0", probes: undefined })).fatal).toHaveLength(1);
    // A distribution kernel with ring buffers backported passes on its probe.
    expect(
      checkNode(
        healthyNode({ kernelRelease: "4.18.0-553.el8", probes: { ringBuffer: 1, forEachMapElem: 0 } }),
      ).fatal,
    ).toEqual([]);
  });

  it("on 5.8–5.10 needs CAP_SYS_RESOURCE or an unlimited memlock limit (maps charged to RLIMIT_MEMLOCK)", () => {
    const noResource = (BigInt(`0x${"000001ffffffffff"}`) & ~(1n << 24n)).toString(16);
    const on510 = healthyNode({ kernelRelease: "5.10.0-28-amd64", effectiveCapabilitiesHex: noResource });
    expect(checkNode(on510).fatal.map((f) => f.reason.split(":")[0])).toEqual(["locked memory"]);
    expect(checkNode({ ...on510, memlockUnlimited: true }).fatal).toEqual([]);
    expect(checkNode({ ...on510, kernelRelease: "5.11.0" }).fatal).toEqual([]);
  });

  it("switches features above the floor off one by one, saying which and why", () => {
    const on510 = healthyNode({
      kernelRelease: "5.10.0-28-amd64",
      probes: { ringBuffer: 1, forEachMapElem: 0 },
      missingTcpTracepoints: ["tcp:tcp_receive_reset"],
      uprobes: false,
    });
    const report = checkNode(on510);
    expect(report.fatal).toEqual([]);
    expect(report.degraded).toEqual([
      {
        feature: "tcp_health",
        reason: "partly: tracepoints tcp:tcp_receive_reset are missing, so their figures stay zero",
      },
      {
        feature: "process_exit_close",
        reason:
          "helper bpf_for_each_map_elem is missing (Linux 5.13): connections of a process that exits without close() end when found idle (5 min), not at its exit",
      },
      {
        feature: "tls",
        reason:
          "uprobes: /sys/bus/event_source/devices/uprobe is missing (CONFIG_UPROBE_EVENTS): no TLS plaintext",
      },
    ]);
    expect(preflightMessage(report, on510.kernelRelease).split("\n")[0]).toBe(
      "running without (kernel 5.10.0-28-amd64):",
    );
  });

  it("is fatal without syscall tracepoints, which every capture path needs", () => {
    expect(checkNode(healthyNode({ syscallTracepoints: false })).fatal[0]?.reason).toBe(
      "syscall tracepoints: /sys/kernel/tracing/events/syscalls is missing (kernel built without CONFIG_FTRACE_SYSCALLS)",
    );
  });

  it("parses kernel releases", () => {
    expect(kernelVersion("6.18.44-fc-v1300")).toEqual([6, 18]);
    expect(kernelVersion("5.8.0")).toEqual([5, 8]);
    expect(kernelVersion("unknown")).toBeUndefined();
  });
});

describe("preflight: BTF file check", () => {
  const dir = mkdtempSync(join(tmpdir(), "periscope-btf-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("tells an empty, a foreign and a missing file from BTF", () => {
    const empty = join(dir, "empty.btf");
    const text = join(dir, "text.btf");
    const btf = join(dir, "ok.btf");
    writeFileSync(empty, "");
    writeFileSync(text, "not btf at all");
    writeFileSync(btf, Buffer.from([0x9f, 0xeb, 0x01, 0x00, 0x18, 0, 0, 0]));
    expect(btfState(empty)).toBe("empty");
    expect(btfState(text)).toBe("not-btf");
    expect(btfState(btf)).toBe("ok");
    expect(btfState(join(dir, "absent.btf"))).toBe("missing");
  });
});

describe("capture problems", () => {
  it("logs each problem once as an error, and maps switched-off programs to their feature", () => {
    const lines: string[] = [];
    const problems = new CaptureProblems((line) => lines.push(line));
    problems.add({ feature: "tls", reason: "uprobes missing" }, true);
    problems.addSwitchedOff("socket_trace", [
      {
        program: "on_process_exit",
        attachPoint: "tracepoint/sched/sched_process_exit",
        reason: "helper bpf_for_each_map_elem missing (Linux 5.13)",
      },
    ]);
    problems.addSwitchedOff("tcp_health", [
      {
        program: "on_tcp_probe",
        attachPoint: "raw_tp/tcp_probe",
        reason: "tracepoint tcp_probe not in /sys/kernel/tracing/events",
      },
    ]);
    problems.add({ feature: "tls", reason: "uprobes missing" });
    expect(problems.list().map((p) => p.feature)).toEqual(["tls", "process_exit_close", "tcp_health"]);
    expect(lines).toEqual([
      "periscope-agent: error: process_exit_close off: socket_trace.bpf.o program on_process_exit (tracepoint/sched/sched_process_exit) not loaded: helper bpf_for_each_map_elem missing (Linux 5.13)",
      "periscope-agent: error: tcp_health off: tcp_health.bpf.o program on_tcp_probe (raw_tp/tcp_probe) not loaded: tracepoint tcp_probe not in /sys/kernel/tracing/events",
    ]);
  });
});
