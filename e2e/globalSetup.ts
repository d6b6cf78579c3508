import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startStack } from "../scripts/stack.ts";
import {
  API_TOKEN_ENV,
  API_URL_ENV,
  DEMO_BASE_PORT,
  DEMO_URL_ENV,
  GRPC_PORT,
  HTTP_PORT,
  UI_PORT,
  UI_URL_ENV,
} from "./stackOptions.ts";

/**
 * Starts the whole stack (collector, agent, UI, demo workload) once for the run.
 * Returning the teardown is Playwright's documented alternative to a separate
 * globalTeardown file, and keeps the stack handle in one place.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "periscope-e2e-"));
  let stack: Awaited<ReturnType<typeof startStack>>;
  try {
    stack = await startStack({
      uiPort: UI_PORT,
      httpPort: HTTP_PORT,
      grpcPort: GRPC_PORT,
      demoBasePort: DEMO_BASE_PORT,
      dataDir,
      withDemo: true,
    });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  process.env[UI_URL_ENV] = stack.uiUrl;
  process.env[API_URL_ENV] = stack.apiUrl;
  process.env[API_TOKEN_ENV] = stack.apiToken;
  if (stack.demoUrl) process.env[DEMO_URL_ENV] = stack.demoUrl;
  return async () => {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
