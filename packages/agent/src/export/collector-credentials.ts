// How the agent reaches the collector's gRPC services (ingest and control):
// one ChannelCredentials for both channels, and the token they send.
import { type ChannelCredentials, credentials } from "@grpc/grpc-js";

export interface CollectorSecurity {
  collectorAddress: string;
  collectorTls: boolean;
  collectorCa: Buffer | undefined;
  agentToken: string | undefined;
}

/** TLS with the given CA bundle (or the system's roots), or plaintext. */
export function collectorCredentials(security: CollectorSecurity): ChannelCredentials {
  if (!security.collectorTls) return credentials.createInsecure();
  return credentials.createSsl(security.collectorCa ?? null);
}

/**
 * A warning when the token would cross the network in clear text, off the loopback
 * interface; undefined otherwise. Names no secret.
 */
export function plaintextTokenWarning(security: CollectorSecurity): string | undefined {
  if (security.agentToken === undefined || security.collectorTls) return undefined;
  const host = security.collectorAddress.replace(/:\d+$/, "").replace(/^\[|\]$/g, "");
  if (host === "localhost" || host === "::1" || /^127\./.test(host)) return undefined;
  return (
    `the agent token is sent to ${security.collectorAddress} without TLS; ` +
    "set PERISCOPE_COLLECTOR_TLS=true or PERISCOPE_COLLECTOR_CA"
  );
}
