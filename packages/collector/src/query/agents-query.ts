// Agents as the API lists them: what this collector heard since it started
// (IngestStats, exact and current) over what the `agents` table remembers
// from before (so a restarted collector still lists the fleet).
import type { AgentStatus, IngestStats } from "../ingest/ingest-stats.js";
import type { Storage } from "../storage/storage.js";

// Agents send a heartbeat batch every 10 s when idle; three missed ones is stale.
export const AGENT_STALE_AFTER_MS = 30_000;

export interface AgentConfigState {
  /** Version of the config the collector wants this agent to run (0: never set). */
  desiredVersion: number;
  /** Version the agent last acknowledged applying (0: none yet). */
  appliedVersion: number;
  /** Whether the agent holds its control stream open now. */
  connected: boolean;
  /** Why the agent refused the latest config it was sent ("" when it applied it). */
  lastError: string;
  /** Settings of the applied config that this agent cannot apply and ignored. */
  unsupported: string[];
}

export interface AgentView extends AgentStatus {
  /** stale: no heartbeat for 30 s; degraded: reporting, but running without some capture (captureProblems). */
  health: "ok" | "degraded" | "stale";
  config: AgentConfigState;
}

interface AgentRowOut {
  agent_id: string;
  hostname: string;
  version: string;
  kernel: string;
  last_seen_ms: string;
  drops: Record<string, string>;
}

const REMEMBERED_AGENTS_SQL = `
SELECT
  agent_id,
  argMax(hostname, last_seen) AS hostname,
  argMax(version, last_seen) AS version,
  argMax(kernel, last_seen) AS kernel,
  toString(toUnixTimestamp64Milli(max(last_seen))) AS last_seen_ms,
  argMax(drops, last_seen) AS drops
FROM agents
GROUP BY agent_id
ORDER BY agent_id
LIMIT 10000`;

function agentHealth(agent: AgentStatus, nowMs: number): AgentView["health"] {
  if (nowMs - Date.parse(agent.lastSeen) > AGENT_STALE_AFTER_MS) return "stale";
  return (agent.captureProblems?.length ?? 0) > 0 ? "degraded" : "ok";
}

export async function queryAgents(
  storage: Storage,
  ingestStats: IngestStats,
  configOf: (agentId: string) => AgentConfigState,
  /** Agents on the control stream, listed even before their first batch. */
  connected: readonly { agentId: string; connectedAt: string }[] = [],
  nowMs: number = Date.now(),
): Promise<AgentView[]> {
  const byId = new Map<string, AgentStatus>();
  for (const row of await storage.select<AgentRowOut>(REMEMBERED_AGENTS_SQL)) {
    byId.set(row.agent_id, {
      agentId: row.agent_id,
      hostname: row.hostname,
      version: row.version,
      kernel: row.kernel,
      lastSeen: new Date(Number(row.last_seen_ms)).toISOString(),
      drops: Object.fromEntries(Object.entries(row.drops).map(([name, count]) => [name, String(count)])),
    });
  }
  for (const live of ingestStats.agentStatuses()) {
    const remembered = byId.get(live.agentId);
    if (remembered === undefined || Date.parse(live.lastSeen) >= Date.parse(remembered.lastSeen)) {
      byId.set(live.agentId, live);
    }
  }
  for (const { agentId, connectedAt } of connected) {
    if (!byId.has(agentId)) {
      byId.set(agentId, { agentId, hostname: "", version: "", kernel: "", lastSeen: connectedAt, drops: {} });
    }
  }
  return [...byId.values()]
    .sort((a, b) => a.agentId.localeCompare(b.agentId))
    .map((agent) => ({
      ...agent,
      health: agentHealth(agent, nowMs),
      config: configOf(agent.agentId),
    }));
}
