// The collector's side of every agent's control stream: who is connected,
// which config version each has acknowledged, and pushing a new config to
// the agents it concerns the moment it is stored.
import { type ConfigApplied, type ConnectResponse, ConnectResponseSchema, create } from "@periscope/proto";
import type { AgentConfigState } from "../query/agents-query.js";
import type { AgentControlPort } from "../routes/route-dependencies.js";
import type { AgentConfigStore, StoredConfig } from "./agent-config-store.js";
import { type CollectionConfigBody, toWireConfig } from "./collection-config.js";

/** What AgentControl needs of a stream; grpc-js's duplex call in production. */
export interface ControlStream {
  write(message: ConnectResponse): unknown;
  end(): void;
}

interface AgentState {
  stream?: ControlStream;
  connectedAt: string;
  appliedVersion: number;
  lastError: string;
  unsupported: string[];
}

/** Agents tracked at once (connected or remembered); bounds memory with a fleet of churning ids. */
export const MAX_CONTROLLED_AGENTS = 10_000;

export class AgentControl implements AgentControlPort {
  private readonly agents = new Map<string, AgentState>();

  constructor(private readonly configs: AgentConfigStore) {}

  get connectedCount(): number {
    let count = 0;
    for (const state of this.agents.values()) if (state.stream !== undefined) count += 1;
    return count;
  }

  /** Registers a stream after its hello; false when the collector holds too many agents. */
  connect(agentId: string, runningVersion: number, stream: ControlStream): boolean {
    const previous = this.agents.get(agentId);
    if (
      previous === undefined &&
      this.agents.size >= MAX_CONTROLLED_AGENTS &&
      !this.forgetOneDisconnected()
    ) {
      return false;
    }
    // A reconnecting agent (or a duplicate id) replaces the older stream.
    previous?.stream?.end();
    const state: AgentState = {
      stream,
      connectedAt: new Date().toISOString(),
      appliedVersion: runningVersion,
      lastError: "",
      unsupported: previous?.unsupported ?? [],
    };
    this.agents.set(agentId, state);
    const desired = this.configs.effectiveFor(agentId);
    if (desired !== undefined && desired.version !== runningVersion) this.send(state, desired);
    return true;
  }

  disconnect(agentId: string, stream: ControlStream): void {
    const state = this.agents.get(agentId);
    if (state?.stream === stream) state.stream = undefined;
  }

  acknowledge(agentId: string, applied: ConfigApplied): void {
    const state = this.agents.get(agentId);
    if (state === undefined) return;
    if (applied.ok) {
      state.appliedVersion = Number(applied.version);
      state.lastError = "";
      state.unsupported = [...applied.unsupported].slice(0, 32);
    } else {
      state.lastError = applied.error.slice(0, 1024);
    }
  }

  /** Called after a config is stored: sends it to every connected agent it now governs. */
  push(stored: StoredConfig): number {
    let sent = 0;
    for (const [agentId, state] of this.agents) {
      if (state.stream === undefined || this.configs.effectiveFor(agentId)?.version !== stored.version)
        continue;
      this.send(state, stored);
      sent += 1;
    }
    return sent;
  }

  /** Stores a config for the fleet ("*") or one agent and pushes it at once; pushedTo counts the streams. */
  async setConfig(
    scope: string,
    config: CollectionConfigBody,
    updatedBy: string,
  ): Promise<StoredConfig & { pushedTo: number }> {
    const stored = await this.configs.set(scope, config, updatedBy);
    return { ...stored, pushedTo: this.push(stored) };
  }

  /** The fleet default, or the config an agent runs (its override, else the default). */
  configFor(scope: string): StoredConfig | undefined {
    return this.configs.effectiveFor(scope);
  }

  configState(agentId: string): AgentConfigState {
    const state = this.agents.get(agentId);
    return {
      desiredVersion: this.configs.effectiveFor(agentId)?.version ?? 0,
      appliedVersion: state?.appliedVersion ?? 0,
      connected: state?.stream !== undefined,
      lastError: state?.lastError ?? "",
      unsupported: state?.unsupported ?? [],
    };
  }

  /** Agents that hold a control stream, with when they connected (listed even before their first batch). */
  connectedAgents(): { agentId: string; connectedAt: string }[] {
    return [...this.agents]
      .filter(([, state]) => state.stream !== undefined)
      .map(([agentId, state]) => ({ agentId, connectedAt: state.connectedAt }));
  }

  closeAll(): void {
    for (const state of this.agents.values()) state.stream?.end();
  }

  private send(state: AgentState, stored: StoredConfig): void {
    state.stream?.write(
      create(ConnectResponseSchema, {
        message: { case: "config", value: toWireConfig(stored.version, stored.config) },
      }),
    );
  }

  private forgetOneDisconnected(): boolean {
    for (const [agentId, state] of this.agents) {
      if (state.stream === undefined) {
        this.agents.delete(agentId);
        return true;
      }
    }
    return false;
  }
}
