// Test support: the agent as an operator runs it (src/main.ts in its own
// process), with its output collected and its exit observable.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { waitFor } from "../capture/fixtures/kernel-processes.js";

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface AgentProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts the agent with env added to this process's; `wrapper` runs it under another program (setpriv). */
export function startAgentProcess(env: Record<string, string>, wrapper: string[] = []): AgentProcess {
  const command = [...wrapper, process.execPath, "--import", "tsx", "src/main.ts"];
  const child = spawn(command[0] ?? process.execPath, command.slice(1), {
    cwd: packageDir,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Resolves once the agent says it is tracing (its programs are attached). */
export async function agentAttached(agent: AgentProcess): Promise<void> {
  await waitFor("the agent to attach", () => (agent.output().includes("tracing") ? true : undefined), 20_000);
}
