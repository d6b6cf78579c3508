// Reads what requirements.ts judges from this node: capabilities, limits,
// BTF, tracefs and its tracepoints, cgroup fs, the uprobe PMU, libbpf probes,
// the BPF objects. Mounts tracefs at its default place when it is missing
// (the agent has always done that itself); a configured path is only looked at.
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync } from "node:fs";
import { release } from "node:os";
import { loadNativeBinding, type NativeBinding } from "../native/native.js";
import { type BtfState, type NodeFacts, TCP_HEALTH_TRACEPOINTS } from "./requirements.js";

export const DEFAULT_BTF_PATH = "/sys/kernel/btf/vmlinux";
export const DEFAULT_TRACEFS_PATHS = ["/sys/kernel/tracing", "/sys/kernel/debug/tracing"] as const;

export interface NodeFactsSettings {
  /** PERISCOPE_BTF_PATH; undefined: the kernel's own. */
  btfPath?: string;
  /** PERISCOPE_TRACEFS_PATH; undefined: /sys/kernel/tracing (mounted when missing), then debugfs's. */
  tracefsPath?: string;
  socketTraceObject: string;
  /** Undefined: not checked (a caller loading only the socket tracer). */
  tcpHealthObject?: string;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/** BTF starts with struct btf_header: u16 magic 0xeB9F (little-endian 9f eb), u8 version 1. */
export function btfState(path: string): BtfState {
  if (!existsSync(path)) return "missing";
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const head = Buffer.alloc(4);
    const read = readSync(fd, head, 0, 4, 0);
    if (read === 0) return "empty";
    return read === 4 && head[0] === 0x9f && head[1] === 0xeb && head[2] === 1 ? "ok" : "not-btf";
  } catch {
    return "unreadable";
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function cgroupFs(): NodeFacts["cgroupFs"] {
  if (existsSync("/sys/fs/cgroup/cgroup.controllers")) return "v2";
  try {
    return readdirSync("/sys/fs/cgroup").length > 0 ? "v1" : "none";
  } catch {
    return "none";
  }
}

function tracefsFacts(settings: NodeFactsSettings, binding: NativeBinding | undefined): NodeFacts["tracefs"] {
  const configured = settings.tracefsPath !== undefined;
  if (configured) {
    const path = settings.tracefsPath as string;
    const problem = binding
      ? binding.ensureTracefs(path)
      : existsSync(`${path}/events`)
        ? ""
        : `no tracefs at ${path} (PERISCOPE_TRACEFS_PATH names it)`;
    return { path, configured, problem };
  }
  const problem = binding?.ensureTracefs() ?? "";
  const path = DEFAULT_TRACEFS_PATHS.find((p) => existsSync(`${p}/events`)) ?? DEFAULT_TRACEFS_PATHS[0];
  const found = existsSync(`${path}/events`);
  return {
    path,
    configured,
    problem: problem !== "" || found ? problem : `no tracefs at ${DEFAULT_TRACEFS_PATHS.join(" or ")}`,
  };
}

export function gatherNodeFacts(settings: NodeFactsSettings): NodeFacts {
  let binding: NativeBinding | undefined;
  let addonProblem = "";
  try {
    binding = loadNativeBinding();
  } catch (error) {
    addonProblem = (error as Error).message;
  }
  const status = readText("/proc/self/status");
  const limits = readText("/proc/self/limits");
  const memlock = limits === undefined ? undefined : /^Max locked memory\s+\S+\s+(\S+)/m.exec(limits)?.[1];
  const tracefs = tracefsFacts(settings, binding);
  const events = `${tracefs.path}/events`;
  const tracefsUsable = tracefs.problem === "";
  const hasEvent = (categoryAndName: string) => existsSync(`${events}/${categoryAndName.replace(":", "/")}`);
  let probes: NodeFacts["probes"];
  try {
    probes = binding?.probeKernel();
  } catch {
    probes = undefined;
  }
  const btfPath = settings.btfPath ?? DEFAULT_BTF_PATH;
  return {
    kernelRelease: release(),
    uid: process.getuid?.() ?? -1,
    effectiveCapabilitiesHex: status === undefined ? undefined : /^CapEff:\s*([0-9a-f]+)$/m.exec(status)?.[1],
    memlockUnlimited: memlock === undefined ? undefined : memlock === "unlimited",
    procfs: status !== undefined,
    btf: { path: btfPath, configured: settings.btfPath !== undefined, state: btfState(btfPath) },
    tracefs,
    syscallTracepoints: tracefsUsable ? hasEvent("syscalls:sys_enter_read") : undefined,
    missingTcpTracepoints: tracefsUsable ? TCP_HEALTH_TRACEPOINTS.filter((tp) => !hasEvent(tp)) : [],
    processExitTracepoint: tracefsUsable ? hasEvent("sched:sched_process_exit") : undefined,
    uprobes: existsSync("/sys/bus/event_source/devices/uprobe/type"),
    cgroupFs: cgroupFs(),
    probes,
    addonProblem,
    socketTraceObject: { path: settings.socketTraceObject, exists: existsSync(settings.socketTraceObject) },
    tcpHealthObject: {
      path: settings.tcpHealthObject ?? "",
      exists: settings.tcpHealthObject === undefined || existsSync(settings.tcpHealthObject),
    },
  };
}
