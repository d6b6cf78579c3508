import { describe, expect, it } from "vitest";
import { DEMO_PORT_COUNT, DEMO_SERVICES, titleOf } from "./topology.js";

describe("the demo's topology", () => {
  it("has at least 8 servers in at least 3 namespaces", () => {
    const servers = DEMO_SERVICES.filter((service) => "portOffset" in service);
    expect(servers.length).toBeGreaterThanOrEqual(8);
    expect(new Set(DEMO_SERVICES.map((service) => service.namespace)).size).toBeGreaterThanOrEqual(3);
  });

  it("gives each server its own port inside the block the stack reserves", () => {
    const offsets = DEMO_SERVICES.flatMap((service) => ("portOffset" in service ? [service.portOffset] : []));
    expect(new Set(offsets).size).toBe(offsets.length);
    for (const offset of offsets) expect(offset).toBeLessThan(DEMO_PORT_COUNT);
  });

  it("names each process within comm's 15 bytes, so the agent keeps the namespace", () => {
    for (const service of DEMO_SERVICES) {
      expect(Buffer.byteLength(titleOf(service)), titleOf(service)).toBeLessThan(15);
    }
    expect(new Set(DEMO_SERVICES.map(titleOf)).size).toBe(DEMO_SERVICES.length);
  });
});
