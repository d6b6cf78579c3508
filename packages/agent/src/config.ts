import { hostname } from "node:os";
import { parseRedactionRules, type RedactionRules } from "./records/redaction-rules.js";

/** Largest capture per syscall the kernel side supports (PERISCOPE_MAX_CAPTURE in socket_trace.h). */
export const MAX_CAPTURE_BYTES = 16384;

export interface AgentConfig {
  /** host:port of the collector's gRPC ingest. */
  collectorAddress: string;
  agentId: string;
  /** Bytes captured per syscall; more are counted but not copied. */
  captureBytes: number;
  /** Compiled eBPF object; the tracer's built-in default when undefined. */
  bpfObjectPath: string | undefined;
  /** host:port of the agent's local HTTP API (config, stats, metrics). */
  apiAddress: string;
  /** What is removed from records before they leave the agent (packages/agent/README.md, Redaction). */
  redaction: RedactionRules;
}

export class ConfigError extends Error {}

interface Variable<T> {
  name: string;
  description: string;
  parse: (raw: string | undefined) => T;
}

// Every environment variable the agent reads, declared once.
const variables = {
  collectorAddress: {
    name: "PERISCOPE_COLLECTOR_ADDR",
    description: "collector gRPC address, host:port",
    parse: (raw) => parseHostPort(raw ?? "127.0.0.1:4770"),
  },
  agentId: {
    name: "PERISCOPE_AGENT_ID",
    description: "stable id of this agent",
    parse: (raw) => {
      const value = (raw ?? hostname()).trim();
      if (value === "" || value.length > 253) throw new ConfigError("must be 1 to 253 characters");
      return value;
    },
  },
  captureBytes: {
    name: "PERISCOPE_CAPTURE_BYTES",
    description: "bytes captured per syscall",
    parse: (raw) => {
      const text = raw ?? "4096";
      const value = Number(text);
      if (!/^\d+$/.test(text) || value < 1 || value > MAX_CAPTURE_BYTES) {
        throw new ConfigError(`must be an integer from 1 to ${MAX_CAPTURE_BYTES}, got "${text}"`);
      }
      return value;
    },
  },
  apiAddress: {
    name: "PERISCOPE_AGENT_API_ADDR",
    description: "the agent's local HTTP API, host:port (loopback by default: it changes what is captured)",
    parse: (raw) => parseHostPort(raw ?? "127.0.0.1:4781"),
  },
  bpfObjectPath: {
    name: "PERISCOPE_BPF_OBJECT",
    description: "path of the compiled eBPF object",
    parse: (raw) => (raw === undefined || raw === "" ? undefined : raw),
  },
  redaction: {
    name: "PERISCOPE_REDACTION",
    description: "redaction rules as JSON, added to the defaults",
    parse: (raw) => parseRedactionRules(raw),
  },
} satisfies { [K in keyof AgentConfig]: Variable<AgentConfig[K]> };

/** Reads the configuration; throws ConfigError naming the variable at fault. */
export function loadConfig(env: NodeJS.ProcessEnv): AgentConfig {
  const read = <K extends keyof AgentConfig>(key: K): AgentConfig[K] => {
    const variable = variables[key] as Variable<AgentConfig[K]>;
    try {
      return variable.parse(env[variable.name]);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ConfigError(`${variable.name} (${variable.description}): ${reason}`);
    }
  };
  return {
    collectorAddress: read("collectorAddress"),
    agentId: read("agentId"),
    captureBytes: read("captureBytes"),
    bpfObjectPath: read("bpfObjectPath"),
    apiAddress: read("apiAddress"),
    redaction: read("redaction"),
  };
}

function parseHostPort(text: string): string {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:\s[\]]+):(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[2]);
  if (match === null || port < 1 || port > 65535) throw new ConfigError(`must be host:port, got "${text}"`);
  return text.trim();
}
