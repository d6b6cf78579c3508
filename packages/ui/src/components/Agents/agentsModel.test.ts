import { describe, expect, it } from "vitest";
import first from "../../fixtures/agents-two-nodes.json";
import later from "../../fixtures/agents-two-nodes-10s-later.json";
import {
  ageText,
  configStatus,
  counterRates,
  lossRate,
  parseAgents,
  rateText,
  throughput,
} from "./agentsModel";
import { counterInfo } from "./dropCounters";

const T0 = Date.parse("2026-12-08T02:30:00Z");

function snapshots() {
  const a = parseAgents(first);
  const b = parseAgents(later);
  if (!a || !b) throw new Error("fixtures parse");
  return { previous: { at: T0, agents: a }, current: { at: T0 + 10_000, agents: b } };
}

describe("parseAgents", () => {
  it("reads the two-node fixture", () => {
    const agents = parseAgents(first);
    expect(agents?.map((agent) => [agent.agentId, agent.kernel, agent.health])).toEqual([
      ["node-a", "6.1.0-27-cloud-amd64", "ok"],
      ["node-b", "5.15.0-91-generic", "stale"],
    ]);
  });

  it("refuses a body without an agents list and skips agents without an id", () => {
    expect(parseAgents({ error: {} })).toBeUndefined();
    expect(parseAgents({ agents: [{ hostname: "x" }] })).toEqual([]);
  });
});

describe("counterRates", () => {
  it("turns totals into per-second rates over the poll interval", () => {
    const { previous, current } = snapshots();
    const rates = counterRates(previous, current).get("node-a");
    expect(rates?.uncapturedBytes).toBe(500);
    expect(rates?.recordsSampledOut).toBe(10);
    expect(rates?.parseErrors).toBe(0);
  });

  it("treats a counter that went down as an agent restart", () => {
    const { previous, current } = snapshots();
    const restarted = structuredClone(current);
    const agent = restarted.agents[1];
    if (agent) agent.drops.ringbufFull = "4";
    expect(counterRates(previous, restarted).get("node-b")?.ringbufFull).toBe(0.4);
  });

  it("has no rates for a zero interval", () => {
    const { previous } = snapshots();
    expect(counterRates(previous, previous).size).toBe(0);
  });

  it("sums losses apart from sampling the config asked for, bytes apart", () => {
    const { previous, current } = snapshots();
    expect(lossRate(counterRates(previous, current).get("node-a"), counterInfo)).toEqual({
      events: 0,
      bytes: 500,
    });
  });

  it("reads what the agent handled (activity) as event and record rates", () => {
    const { previous, current } = snapshots();
    const withActivity = (snapshot: typeof previous, events: string, records: string) => ({
      ...snapshot,
      agents: snapshot.agents.map((agent) => ({
        ...agent,
        activity: { events, records, recordsSent: "10" },
      })),
    });
    const rates = counterRates(withActivity(previous, "100", "40"), withActivity(current, "600", "90")).get(
      "node-a",
    );
    expect(throughput(rates)).toEqual({ events: 50, records: 5, recordsSent: 0 });
  });

  it("has no event or record rates for an agent that does not report activity", () => {
    const { previous, current } = snapshots();
    expect(throughput(counterRates(previous, current).get("node-a"))).toEqual({
      events: undefined,
      records: undefined,
      recordsSent: undefined,
    });
  });
});

describe("configStatus", () => {
  it("names each state a user can see", () => {
    const base = { desiredVersion: 3, appliedVersion: 3, connected: true, lastError: "", unsupported: [] };
    expect(configStatus({ ...base, desiredVersion: 0, appliedVersion: 0 })).toEqual({
      tone: "idle",
      text: "Agent defaults (no config set)",
    });
    expect(configStatus(base)).toEqual({ tone: "ok", text: "Applied v3" });
    expect(configStatus({ ...base, unsupported: ["redactSqlLiterals"] }).text).toBe(
      "Applied v3 (ignored: redactSqlLiterals)",
    );
    expect(configStatus({ ...base, appliedVersion: 2 })).toEqual({ tone: "pending", text: "Applying v3…" });
    expect(configStatus({ ...base, appliedVersion: 2, connected: false }).text).toBe(
      "Not connected: will get v3",
    );
    expect(configStatus({ ...base, lastError: "bad filter" })).toEqual({
      tone: "error",
      text: "Refused v3: bad filter",
    });
  });
});

describe("text", () => {
  it("ages and rates read at a glance", () => {
    expect(ageText("2026-12-08T02:29:56Z", T0)).toBe("4 s ago");
    expect(ageText("2026-12-08T02:00:00Z", T0)).toBe("30 min ago");
    expect(ageText("", T0)).toBe("never");
    expect(rateText(undefined)).toBe("—");
    expect(rateText(0)).toBe("0/s");
    expect(rateText(0.04)).toBe("0.04/s");
    expect(rateText(1234)).toBe("1,234/s");
    expect(rateText(2048, "bytes")).toBe("2.0 KB/s");
  });
});
