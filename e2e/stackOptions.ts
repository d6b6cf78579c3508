// Ports and addresses for the stack under test. e2e-specific defaults so a run does not
// collide with a development stack on the usual 3000/8080; each can be overridden.

function portFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 && value < 65536 ? value : fallback;
}

export const UI_PORT = portFromEnv("PERISCOPE_E2E_UI_PORT", 3900);
export const HTTP_PORT = portFromEnv("PERISCOPE_E2E_HTTP_PORT", 8980);
export const GRPC_PORT = portFromEnv("PERISCOPE_E2E_GRPC_PORT", 4917);
/** First of the demo's nine consecutive ports (demo/src/topology.ts). */
export const DEMO_BASE_PORT = portFromEnv("PERISCOPE_E2E_DEMO_BASE_PORT", 3910);

/** Set by globalSetup for the test workers, which inherit the runner's environment. */
export const UI_URL_ENV = "PERISCOPE_E2E_UI_URL";
export const DEMO_URL_ENV = "PERISCOPE_E2E_DEMO_URL";
/** The collector's API and its admin token, for specs that mint tokens or start a second UI. */
export const API_URL_ENV = "PERISCOPE_E2E_API_URL";
export const API_TOKEN_ENV = "PERISCOPE_E2E_API_TOKEN";
