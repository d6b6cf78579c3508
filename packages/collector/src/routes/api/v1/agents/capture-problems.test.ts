// An agent that runs without some capture on its node (a BPF object missing,
// a kernel feature lacking) says so in AgentInfo.capture_problems; the
// collector lists it as degraded with the reasons (#15), and as ok again once
// a later batch reports nothing missing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CollectorUnderTest,
  call,
  startCollectorUnderTest,
} from "../../../../http/fixtures/running-collector.js";

type AgentsBody = {
  agents: { agentId: string; health: string; captureProblems?: { feature: string; reason: string }[] }[];
};

let t: CollectorUnderTest;

beforeAll(async () => {
  t = await startCollectorUnderTest();
}, 60_000);

afterAll(async () => {
  await t?.close();
});

const missingObject = {
  feature: "tcp_health",
  reason:
    "BPF object not found at /opt/periscope/bpf/tcp_health.bpf.o (the image must ship tcp_health.bpf.o; or set PERISCOPE_TCP_HEALTH_OBJECT)",
};

describe("GET /api/v1/agents: capture problems", () => {
  it("shows an agent running without TCP health as degraded, with the reason", async () => {
    const requests = [call({ side: "client", timeNs: BigInt(Date.now()) * 1_000_000n, target: "/p" })];
    expect(
      await t.ingest.send({
        agentId: "node-degraded",
        batchSeq: 1n,
        requests,
        captureProblems: [missingObject],
      }),
    ).toMatchObject({ ok: true });
    expect(await t.ingest.send({ agentId: "node-whole", batchSeq: 1n, requests })).toMatchObject({
      ok: true,
    });

    const { status, body } = await t.get<AgentsBody>("/api/v1/agents");
    expect(status).toBe(200);
    const byId = new Map(body.agents.map((agent) => [agent.agentId, agent]));
    expect(byId.get("node-degraded")).toMatchObject({ health: "degraded", captureProblems: [missingObject] });
    expect(byId.get("node-whole")).toMatchObject({ health: "ok", captureProblems: [] });
  });

  it("shows what the agent reported handling since it started (its latest batch's counts)", async () => {
    const activity = { events: 12_345_678_901n, records: 40_000n, recordsSent: 39_990n };
    expect(await t.ingest.send({ agentId: "node-busy", batchSeq: 1n, requests: [], activity })).toMatchObject(
      { ok: true },
    );
    const { body } = await t.get<{ agents: { agentId: string; activity?: unknown }[] }>("/api/v1/agents");
    const byId = new Map(body.agents.map((agent) => [agent.agentId, agent]));
    expect(byId.get("node-busy")?.activity).toEqual({
      events: "12345678901",
      records: "40000",
      recordsSent: "39990",
    });
    expect(byId.get("node-whole")?.activity).toBeUndefined();
  });

  it("is ok again once the agent's latest batch reports nothing missing", async () => {
    expect(await t.ingest.send({ agentId: "node-degraded", batchSeq: 2n, requests: [] })).toMatchObject({
      ok: true,
    });
    const { body } = await t.get<AgentsBody>("/api/v1/agents");
    expect(body.agents.find((agent) => agent.agentId === "node-degraded")).toMatchObject({
      health: "ok",
      captureProblems: [],
    });
  });
});
