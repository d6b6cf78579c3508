// Desired collection configs: the fleet default and per-agent overrides,
// persisted in `agent_configs` and held in memory (a few rows).
import type { Storage } from "../storage/storage.js";
import type { CollectionConfigBody } from "./collection-config.js";

export const FLEET_SCOPE = "*";

export interface StoredConfig {
  scope: string;
  version: number;
  config: CollectionConfigBody;
  updatedAt: string;
  updatedBy: string;
}

interface ConfigRow {
  scope: string;
  version: string;
  config: string;
  updated_at_ms: string;
  updated_by: string;
}

/** Bounds the per-agent overrides held in memory and in the table. */
export const MAX_CONFIG_SCOPES = 10_000;

const LOAD_SQL = `
SELECT scope, toString(version) AS version, config,
       toString(toUnixTimestamp64Milli(updated_at)) AS updated_at_ms, updated_by
FROM agent_configs FINAL
LIMIT ${MAX_CONFIG_SCOPES + 1}`;

export class TooManyConfigsError extends Error {
  override name = "TooManyConfigsError";
}

export class AgentConfigStore {
  private readonly byScope = new Map<string, StoredConfig>();
  private lastVersion = 0;
  // Writes run one at a time so versions are assigned in order.
  private writes: Promise<unknown> = Promise.resolve();

  private constructor(private readonly storage: Storage) {}

  static async open(storage: Storage): Promise<AgentConfigStore> {
    const store = new AgentConfigStore(storage);
    for (const row of await storage.select<ConfigRow>(LOAD_SQL)) {
      const version = Number(row.version);
      store.byScope.set(row.scope, {
        scope: row.scope,
        version,
        config: JSON.parse(row.config) as CollectionConfigBody,
        updatedAt: new Date(Number(row.updated_at_ms)).toISOString(),
        updatedBy: row.updated_by,
      });
      store.lastVersion = Math.max(store.lastVersion, version);
    }
    return store;
  }

  /** The config an agent should run: its override, else the fleet default. */
  effectiveFor(agentId: string): StoredConfig | undefined {
    return this.byScope.get(agentId) ?? this.byScope.get(FLEET_SCOPE);
  }

  get(scope: string): StoredConfig | undefined {
    return this.byScope.get(scope);
  }

  set(scope: string, config: CollectionConfigBody, updatedBy: string): Promise<StoredConfig> {
    const write = this.writes.then(async () => {
      if (!this.byScope.has(scope) && this.byScope.size >= MAX_CONFIG_SCOPES) throw new TooManyConfigsError();
      const stored: StoredConfig = {
        scope,
        version: this.lastVersion + 1,
        config,
        updatedAt: new Date().toISOString(),
        updatedBy,
      };
      await this.storage.insertRows("agent_configs", [
        {
          scope,
          version: String(stored.version),
          config: JSON.stringify(config),
          updated_at: String(Date.parse(stored.updatedAt)),
          updated_by: updatedBy,
        },
      ]);
      this.lastVersion = stored.version;
      this.byScope.set(scope, stored);
      return stored;
    });
    this.writes = write.catch(() => undefined);
    return write;
  }
}
