// Before any test file: podman must be able to run a container here, and the images must
// be current. Both fail loudly, never skip (a machine that refuses containers is a failure
// with its reason, not a pass).
import { baseImage, podman, run } from "./podman.js";

export default function setup(): void {
  try {
    run("podman", ["--version"]);
  } catch (error) {
    throw new Error(
      `podman is not usable (make test installs it: scripts/setup/services.sh): ${String(error)}`,
    );
  }
  // Base image first (debootstrap, skipped when present), then a container from it: the
  // kernel, cgroups or the runtime refusing shows up here with podman's own message.
  run("bash", ["scripts/images/base.sh"], { timeoutMs: 900_000 });
  try {
    podman("run", "--rm", baseImage, "true");
  } catch (error) {
    throw new Error(`this machine cannot run containers: ${String(error)}`);
  }
  const started = Date.now();
  const output = run("bash", ["scripts/images/build.sh"], { timeoutMs: 1_800_000 });
  process.stdout.write(`${output}images: make images took ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}
