// podman as the image scripts run it (scripts/images/containers.conf: runc, no default
// ulimits), the images `make images` builds, and what the tests wait on.
import { spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
export const podmanEnv = {
  ...process.env,
  CONTAINERS_CONF: join(repoRoot, "scripts/images/containers.conf"),
};
export const baseImage = process.env.PERISCOPE_BASE_IMAGE ?? "localhost/periscope-debian:12";
export const images = {
  collector: "localhost/periscope-collector:local",
  ui: "localhost/periscope-ui:local",
  agent: "localhost/periscope-agent:local",
} as const;

/** Runs a command to completion; its stdout, or an error carrying its stderr. */
export function run(
  command: string,
  args: string[],
  options: { cwd?: string; timeoutMs?: number; env?: Record<string, string> } = {},
): string {
  const result = spawnSync(command, args, {
    cwd: options.cwd ?? repoRoot,
    env: { ...podmanEnv, ...options.env },
    encoding: "utf8",
    timeout: options.timeoutMs ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw new Error(`${command} ${args.join(" ")}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} exited ${result.status}:\n${result.stderr || result.stdout}`,
    );
  }
  return result.stdout;
}

export const podman = (...args: string[]): string => run("podman", args);

/** A port nothing listens on now (never the stack's fixed 3000/8080/4770). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Polls until probe returns a value; the error names what never happened and the last failure. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  throw new Error(
    `timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? ` (last: ${last})` : ""}`,
  );
}

/** A container's log, for failure messages. */
export function logsOf(container: string): string {
  const result = spawnSync("podman", ["logs", "--tail", "30", container], {
    env: podmanEnv,
    encoding: "utf8",
  });
  return `${result.stdout}${result.stderr}`;
}
