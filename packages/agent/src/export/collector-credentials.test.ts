import { describe, expect, it } from "vitest";
import { plaintextTokenWarning } from "./collector-credentials.js";

const TOKEN = "agent-token-0123456789abcdef";
const security = (
  collectorAddress: string,
  collectorTls: boolean,
  agentToken: string | undefined = TOKEN,
) => ({
  collectorAddress,
  collectorTls,
  collectorCa: undefined,
  agentToken,
});

describe("plaintextTokenWarning", () => {
  it("warns when the token would leave the host in clear text, without naming it", () => {
    const warning = plaintextTokenWarning(security("collector.periscope.svc:4770", false));
    expect(warning).toMatch(/without TLS; set PERISCOPE_COLLECTOR_TLS=true or PERISCOPE_COLLECTOR_CA/);
    expect(warning).not.toContain(TOKEN);
  });

  it.each([
    ["over TLS", security("collector.periscope.svc:4770", true)],
    ["to loopback", security("127.0.0.1:4770", false)],
    ["to IPv6 loopback", security("[::1]:4770", false)],
    ["without a token", { ...security("collector.periscope.svc:4770", false), agentToken: undefined }],
  ])("stays quiet %s", (_case, settings) => {
    expect(plaintextTokenWarning(settings)).toBeUndefined();
  });
});
