// GET /api/v1/agents as the agents page shows it: counters turned into rates between
// two polls (the API reports totals since each agent started), last-seen ages, and
// where each agent stands with the config the collector wants it to run.
import { asObject, readArray, readNumber, readString } from "../../api/jsonFields";
import type { Agent } from "../../api/types";

export type AgentConfigState = Agent["config"];

export interface AgentSnapshot {
  /** Epoch ms the response arrived. */
  at: number;
  agents: Agent[];
}

/** Per second, keyed by counter name; undefined until two polls of the same agent. */
export type CounterRates = Record<string, number>;

const HEALTH = new Set(["ok", "degraded", "stale"]);

/** Keeps agents with an id; fills what an older collector leaves out. */
export function parseAgents(body: unknown): Agent[] | undefined {
  const root = asObject(body);
  if (!root || !Array.isArray(root.agents)) return undefined;
  return root.agents.flatMap((raw): Agent[] => {
    const agent = asObject(raw);
    const agentId = agent ? readString(agent, "agentId") : "";
    if (!agent || agentId === "") return [];
    const config = asObject(agent.config) ?? {};
    const health = readString(agent, "health");
    const drops = asObject(agent.drops) ?? {};
    return [
      {
        ...(agent as Partial<Agent>),
        agentId,
        hostname: readString(agent, "hostname"),
        version: readString(agent, "version"),
        kernel: readString(agent, "kernel"),
        lastSeen: readString(agent, "lastSeen"),
        health: (HEALTH.has(health) ? health : "stale") as Agent["health"],
        drops: Object.fromEntries(
          Object.entries(drops).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
        ),
        config: {
          desiredVersion: readNumber(config, "desiredVersion"),
          appliedVersion: readNumber(config, "appliedVersion"),
          connected: config.connected === true,
          lastError: readString(config, "lastError"),
          unsupported: readArray(config, "unsupported").filter(
            (item): item is string => typeof item === "string",
          ),
        },
      },
    ];
  });
}

function toBig(text: string | undefined): bigint | undefined {
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return BigInt(text);
}

/**
 * Counter rates per agent between two snapshots. A counter that went down means the
 * agent restarted (totals start again at 0): its new total over the interval is the
 * best estimate, as Prometheus's rate() treats a counter reset.
 */
export function counterRates(previous: AgentSnapshot, current: AgentSnapshot): Map<string, CounterRates> {
  const seconds = (current.at - previous.at) / 1000;
  const out = new Map<string, CounterRates>();
  if (!(seconds > 0)) return out;
  const before = new Map(previous.agents.map((agent) => [agent.agentId, agent]));
  for (const agent of current.agents) {
    const old = before.get(agent.agentId);
    if (old === undefined) continue;
    const rates: CounterRates = {};
    for (const [name, text] of Object.entries(countersOf(agent))) {
      const now = toBig(text);
      const then = toBig(countersOf(old)[name]) ?? 0n;
      if (now === undefined) continue;
      const delta = now >= then ? now - then : now;
      rates[name] = Number(delta) / seconds;
    }
    out.set(agent.agentId, rates);
  }
  return out;
}

/** Drops plus what the agent handled (`activity`, absent from older agents), in one name space. */
function countersOf(agent: Agent): Record<string, string> {
  const totals: Record<string, string> = {};
  for (const [name, value] of Object.entries(asObject(agent.activity) ?? {})) {
    if (typeof value === "string") totals[`${ACTIVITY}${name}`] = value;
  }
  return { ...agent.drops, ...totals };
}

const ACTIVITY = "activity:";

/** Kernel events, records parsed and records sent per second; undefined where the agent does not report them. */
export function throughput(rates: CounterRates | undefined): {
  events?: number;
  records?: number;
  recordsSent?: number;
} {
  return {
    events: rates?.[`${ACTIVITY}events`],
    records: rates?.[`${ACTIVITY}records`],
    recordsSent: rates?.[`${ACTIVITY}recordsSent`],
  };
}

/** Sum of the loss counters' rates (sampling the config asked for excluded), bytes apart. */
export function lossRate(
  rates: CounterRates | undefined,
  isLoss: (name: string) => { loss: boolean; unit: "events" | "bytes" },
): { events: number; bytes: number } | undefined {
  if (rates === undefined) return undefined;
  let events = 0;
  let bytes = 0;
  for (const [name, rate] of Object.entries(rates)) {
    if (name.startsWith(ACTIVITY)) continue;
    const info = isLoss(name);
    if (!info.loss) continue;
    if (info.unit === "bytes") bytes += rate;
    else events += rate;
  }
  return { events, bytes };
}

/** "4 s ago", "3 min ago", "2 h ago", "5 d ago"; "never" for a missing time. */
export function ageText(iso: string, now: number): string {
  const at = Date.parse(iso);
  if (iso === "" || Number.isNaN(at)) return "never";
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}

export type ConfigTone = "ok" | "pending" | "error" | "idle";

/** Where an agent stands with the config the collector wants it to run. */
export function configStatus(config: AgentConfigState): { tone: ConfigTone; text: string } {
  if (config.desiredVersion === 0) return { tone: "idle", text: "Agent defaults (no config set)" };
  if (config.lastError !== "")
    return { tone: "error", text: `Refused v${config.desiredVersion}: ${config.lastError}` };
  if (config.appliedVersion >= config.desiredVersion) {
    const ignored = config.unsupported.length > 0 ? ` (ignored: ${config.unsupported.join(", ")})` : "";
    return { tone: "ok", text: `Applied v${config.appliedVersion}${ignored}` };
  }
  if (!config.connected)
    return { tone: "pending", text: `Not connected: will get v${config.desiredVersion}` };
  return { tone: "pending", text: `Applying v${config.desiredVersion}…` };
}

/** "1.2/s", "0.05/s", "0/s"; bytes as "3.4 KB/s". */
export function rateText(rate: number | undefined, unit: "events" | "bytes" = "events"): string {
  if (rate === undefined) return "—";
  if (unit === "bytes") {
    if (rate >= 1_048_576) return `${(rate / 1_048_576).toFixed(1)} MB/s`;
    if (rate >= 1024) return `${(rate / 1024).toFixed(1)} KB/s`;
    return `${Math.round(rate)} B/s`;
  }
  if (rate === 0) return "0/s";
  if (rate < 0.1) return `${rate.toFixed(2)}/s`;
  if (rate < 10) return `${rate.toFixed(1)}/s`;
  return `${Math.round(rate).toLocaleString("en-US")}/s`;
}
