// Kernel CPU time per BPF program over a window, from the kernel's own
// accounting (kernel.bpf_stats_enabled: run_time_ns and run_cnt per program,
// read with bpftool). Enabled only for the window: it costs two clock reads
// per program run.
import { execFileSync } from "node:child_process";

interface ProgramCounters {
  id: number;
  name?: string;
  run_time_ns?: number;
  run_cnt?: number;
}

export interface ProgramCost {
  name: string;
  runs: number;
  totalNs: number;
}

function snapshot(): Map<number, ProgramCounters> {
  const programs = JSON.parse(
    execFileSync("bpftool", ["-j", "prog", "show"], { encoding: "utf8" }),
  ) as ProgramCounters[];
  return new Map(programs.map((program) => [program.id, program]));
}

export async function measureBpfPrograms<T>(
  during: () => Promise<T>,
): Promise<{ result: T; costs: ProgramCost[] }> {
  execFileSync("sysctl", ["-qw", "kernel.bpf_stats_enabled=1"]);
  try {
    const before = snapshot();
    const result = await during();
    const after = snapshot();
    const costs: ProgramCost[] = [];
    for (const [id, program] of after) {
      const runs = (program.run_cnt ?? 0) - (before.get(id)?.run_cnt ?? 0);
      const totalNs = (program.run_time_ns ?? 0) - (before.get(id)?.run_time_ns ?? 0);
      if (runs > 0) costs.push({ name: program.name ?? `prog${id}`, runs, totalNs });
    }
    return { result, costs: costs.sort((a, b) => b.totalNs - a.totalNs) };
  } finally {
    execFileSync("sysctl", ["-qw", "kernel.bpf_stats_enabled=0"]);
  }
}
