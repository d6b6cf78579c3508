// Writes what ingest knows about each agent (IngestStats, in memory) into the
// `agents` table periodically, so a restarted collector still lists the
// fleet with each agent's last state. Only agents heard from since the last
// write are written: an idle fleet costs nothing.
import type { IngestStats } from "../ingest/ingest-stats.js";
import type { Storage } from "../storage/storage.js";

export const AGENT_SNAPSHOT_INTERVAL_MS = 30_000;

export class AgentSnapshots {
  private readonly written = new Map<string, string>();
  private readonly timer: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly storage: Storage,
    private readonly ingestStats: IngestStats,
    private readonly configVersionOf: (agentId: string) => number,
    private readonly onError: (error: unknown) => void,
    intervalMs = AGENT_SNAPSHOT_INTERVAL_MS,
  ) {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  /** Writes every agent heard from since the last flush; failures are reported and retried next time. */
  flush(): Promise<void> {
    this.writing = this.writing.then(async () => {
      const changed = this.ingestStats
        .agentStatuses()
        .filter((a) => this.written.get(a.agentId) !== a.lastSeen);
      if (changed.length === 0) return;
      try {
        await this.storage.insertRows(
          "agents",
          changed.map((agent) => ({
            agent_id: agent.agentId,
            hostname: agent.hostname,
            version: agent.version,
            kernel: agent.kernel,
            first_seen: String(Date.parse(agent.lastSeen)),
            last_seen: String(Date.parse(agent.lastSeen)),
            drops: agent.drops,
            config_version: String(this.configVersionOf(agent.agentId)),
          })),
        );
        for (const agent of changed) this.written.set(agent.agentId, agent.lastSeen);
        // Bounded like IngestStats: forget what it no longer tracks.
        if (this.written.size > 2 * changed.length + 10_000) this.written.clear();
      } catch (error) {
        this.onError(error);
      }
    });
    return this.writing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
