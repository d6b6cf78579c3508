// A second UI server beside the stack's, for specs that need the UI configured
// otherwise (sign-in required). Same build, same collector.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const SERVER_JS = fileURLToPath(
  new URL("../packages/ui/.next/standalone/packages/ui/server.js", import.meta.url),
);

export interface UiServer {
  url: string;
  stop(): Promise<void>;
}

export async function startUiServer(port: number, env: Record<string, string>): Promise<UiServer> {
  const child: ChildProcess = spawn(process.execPath, [SERVER_JS], {
    env: { ...process.env, HOSTNAME: "127.0.0.1", PORT: String(port), NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: "ignore",
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the UI server exited with ${child.exitCode}`);
    const up = await fetch(`${url}/sign-in`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the UI server did not answer on ${url} within 30 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
