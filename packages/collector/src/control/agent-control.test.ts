// Which agents a stored config is pushed to, and what their acknowledgements record.
import { ConfigAppliedSchema, type ConnectResponse, create } from "@periscope/proto";
import { describe, expect, it } from "vitest";
import type { Storage } from "../storage/storage.js";
import { AgentConfigStore, FLEET_SCOPE } from "./agent-config-store.js";
import { AgentControl, type ControlStream } from "./agent-control.js";

const emptyTable: Storage = {
  kind: "embedded",
  select: async () => [],
  command: async () => {},
  insertRows: async () => {},
  isReachable: async () => true,
  close: async () => {},
};

function fakeStream(): ControlStream & { versions: number[]; ended: boolean } {
  const stream = {
    versions: [] as number[],
    ended: false,
    write(message: ConnectResponse) {
      if (message.message.case === "config") stream.versions.push(Number(message.message.value.version));
    },
    end() {
      stream.ended = true;
    },
  };
  return stream;
}

async function control() {
  return new AgentControl(await AgentConfigStore.open(emptyTable));
}

describe("AgentControl", () => {
  it("sends the fleet config to every agent, and an override only to its agent", async () => {
    const agents = await control();
    const a = fakeStream();
    const b = fakeStream();
    agents.connect("a", 0, a);
    agents.connect("b", 0, b);
    const fleet = await agents.setConfig(FLEET_SCOPE, { sampleOneIn: 2 }, "test");
    expect(fleet.pushedTo).toBe(2);
    const own = await agents.setConfig("a", { captureBytes: 100 }, "test");
    expect(own.pushedTo).toBe(1);
    // A later fleet change no longer governs "a", which has its own config.
    await agents.setConfig(FLEET_SCOPE, { sampleOneIn: 3 }, "test");
    expect(a.versions).toEqual([fleet.version, own.version]);
    expect(b.versions).toEqual([fleet.version, fleet.version + 2]);
    expect(agents.configState("a").desiredVersion).toBe(own.version);
  });

  it("sends the current config on connect unless the agent already runs it", async () => {
    const agents = await control();
    const stored = await agents.setConfig(FLEET_SCOPE, { sampleOneIn: 2 }, "test");
    const fresh = fakeStream();
    agents.connect("fresh", 0, fresh);
    expect(fresh.versions).toEqual([stored.version]);
    const current = fakeStream();
    agents.connect("current", stored.version, current);
    expect(current.versions).toEqual([]);
    expect(agents.configState("current")).toMatchObject({ appliedVersion: stored.version, connected: true });
  });

  it("records a refusal without moving the applied version, and replaces a reconnecting agent's stream", async () => {
    const agents = await control();
    const first = fakeStream();
    agents.connect("a", 0, first);
    const stored = await agents.setConfig(FLEET_SCOPE, { includeNamespaces: ["shop"] }, "test");
    agents.acknowledge(
      "a",
      create(ConfigAppliedSchema, { version: BigInt(stored.version), ok: false, error: "no cgroup" }),
    );
    expect(agents.configState("a")).toMatchObject({ appliedVersion: 0, lastError: "no cgroup" });
    agents.acknowledge(
      "a",
      create(ConfigAppliedSchema, {
        version: BigInt(stored.version),
        ok: true,
        unsupported: ["include_namespaces"],
      }),
    );
    expect(agents.configState("a")).toMatchObject({
      appliedVersion: stored.version,
      lastError: "",
      unsupported: ["include_namespaces"],
    });

    const second = fakeStream();
    agents.connect("a", stored.version, second);
    expect(first.ended).toBe(true);
    agents.disconnect("a", first);
    expect(agents.configState("a").connected).toBe(true);
    agents.disconnect("a", second);
    expect(agents.configState("a").connected).toBe(false);
  });
});
