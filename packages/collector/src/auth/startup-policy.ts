// What the collector may expose, decided once at start. On one host the
// default is loopback only; listening anywhere else without tokens is refused
// unless the operator says another layer authenticates (PERISCOPE_AUTH_DISABLED).
import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { ConfigError } from "../config.js";

export interface SecuritySettings {
  adminToken: string;
  /** The UI's bootstrap editor token; optional for callers that predate it. */
  uiToken?: string;
  agentToken: string;
  authDisabled: boolean;
  tlsCertFile: string;
  tlsKeyFile: string;
  httpHost: string;
  grpcAddress: string;
}

export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
}

export interface SecurityPlan {
  httpAuth: boolean;
  grpcAuth: boolean;
  tls: TlsMaterial | undefined;
}

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (bare === "localhost" || bare === "::1") return true;
  return isIP(bare) === 4 && bare.startsWith("127.");
}

function grpcHost(address: string): string {
  return address.slice(0, address.lastIndexOf(":"));
}

function readPem(variable: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new ConfigError(`${variable}: cannot read "${path}": ${(error as Error).message}`);
  }
}

export function planSecurity(settings: SecuritySettings): SecurityPlan {
  const httpAuth = settings.adminToken !== "";
  const grpcAuth = settings.agentToken !== "";
  const uiToken = settings.uiToken ?? "";
  // Without an admin token the API has no auth at all, so a UI token would
  // suggest a protection that is not there.
  if (uiToken !== "" && !httpAuth) {
    throw new ConfigError(
      "PERISCOPE_UI_TOKEN needs PERISCOPE_ADMIN_TOKEN (it only narrows an authenticated API)",
    );
  }
  // One secret with two roles would be whichever matched first: the UI would act as admin.
  if (uiToken !== "" && uiToken === settings.adminToken) {
    throw new ConfigError("PERISCOPE_UI_TOKEN must differ from PERISCOPE_ADMIN_TOKEN");
  }
  if (!settings.authDisabled) {
    if (!httpAuth && !isLoopbackHost(settings.httpHost)) {
      throw new ConfigError(
        `refusing to serve the HTTP API on ${settings.httpHost} without auth: set PERISCOPE_ADMIN_TOKEN, ` +
          "or PERISCOPE_AUTH_DISABLED=true if another layer authenticates",
      );
    }
    if (!grpcAuth && !isLoopbackHost(grpcHost(settings.grpcAddress))) {
      throw new ConfigError(
        `refusing to accept agents on ${settings.grpcAddress} without auth: set PERISCOPE_AGENT_TOKEN, ` +
          "or PERISCOPE_AUTH_DISABLED=true if another layer authenticates",
      );
    }
  }
  const { tlsCertFile, tlsKeyFile } = settings;
  if ((tlsCertFile === "") !== (tlsKeyFile === "")) {
    throw new ConfigError("PERISCOPE_TLS_CERT and PERISCOPE_TLS_KEY must be set together");
  }
  const tls =
    tlsCertFile === ""
      ? undefined
      : { cert: readPem("PERISCOPE_TLS_CERT", tlsCertFile), key: readPem("PERISCOPE_TLS_KEY", tlsKeyFile) };
  return { httpAuth, grpcAuth, tls };
}
