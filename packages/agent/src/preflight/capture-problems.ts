// The capture features this agent runs without, from the preflight and from
// each BPF object's load (programs the kernel could not run, an object that
// failed), logged as errors once each and carried in AgentInfo.capture_problems
// to the collector (/api/v1/agents). A feature lost silently is the failure
// this exists to prevent (#15: TCP health off for want of a file, unnoticed).
import type { SwitchedOffProgram } from "../native/native.js";
import type { CaptureFeature, Finding } from "./requirements.js";

export class CaptureProblems {
  private readonly findings = new Map<string, Finding>();

  constructor(private readonly log: (line: string) => void = (line) => console.error(line)) {}

  /** Adds a problem; `logged` when the preflight message already named it. */
  add(finding: Finding, logged = false): void {
    const key = `${finding.feature}\n${finding.reason}`;
    if (this.findings.has(key)) return;
    this.findings.set(key, finding);
    if (!logged) this.log(`periscope-agent: error: ${finding.feature} off: ${finding.reason}`);
  }

  /** Programs an object's load left out, each under the feature it serves. */
  addSwitchedOff(object: "socket_trace" | "tcp_health", programs: readonly SwitchedOffProgram[]): void {
    for (const program of programs) {
      this.add({
        feature: featureOf(object, program),
        reason: `${object}.bpf.o program ${program.program} (${program.attachPoint}) not loaded: ${program.reason}`,
      });
    }
  }

  list(): Finding[] {
    return [...this.findings.values()];
  }
}

function featureOf(object: "socket_trace" | "tcp_health", program: SwitchedOffProgram): CaptureFeature {
  if (object === "tcp_health") return "tcp_health";
  if (program.attachPoint.endsWith("sched_process_exit")) return "process_exit_close";
  if (program.attachPoint.startsWith("uprobe") || program.attachPoint.startsWith("uretprobe")) return "tls";
  return "capture";
}
