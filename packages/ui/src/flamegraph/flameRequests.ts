// Which flame graphs the page asks the collector for. /api/v1/flamegraph takes
// one service and/or one pid and returns that scope's graph with no scope
// frames, so "every service" is one request per service (the busiest first,
// bounded) joined client-side under "namespace: …" and "service: …" frames.
import { asObject, readArray, readNumber, readString } from "../api/jsonFields";
import { flameGraphUrl, type Instants } from "./baselineRange";
import type { ScopeFrame } from "./scopes";

/** Services drawn side by side at most; more would be as many collector queries per refresh. */
export const MAX_SPLIT_SERVICES = 12;

export interface ServiceOption {
  name: string;
  namespace: string | undefined;
  requestCount: number;
}

/** Reads GET /api/v1/services. */
export function parseServiceOptions(body: unknown): ServiceOption[] | undefined {
  const object = asObject(body);
  if (!object || !Array.isArray(object.services)) return undefined;
  return readArray(object, "services")
    .map(asObject)
    .filter((row) => row !== undefined && readString(row, "name") !== "")
    .map((row) => {
      const namespace = readString(row as Record<string, unknown>, "namespace");
      return {
        name: readString(row as Record<string, unknown>, "name"),
        namespace: namespace === "" ? undefined : namespace,
        requestCount: readNumber(row as Record<string, unknown>, "requestCount"),
      };
    });
}

/** Reads GET /api/v1/names (any kind): the names, most requested first. */
export function parseNames(body: unknown): string[] | undefined {
  const object = asObject(body);
  if (!object || !Array.isArray(object.names)) return undefined;
  return readArray(object, "names")
    .map((row) => readString(asObject(row) ?? {}, "name"))
    .filter((name) => name !== "");
}

export interface FlameRequest {
  scopes: ScopeFrame[];
  url: string;
}

export interface FlameSelection {
  service: string | undefined;
  pid: number;
  namespace?: string | undefined;
  /** An agent id (the API's node scope). */
  node?: string | undefined;
  /** A chosen service's graph split by pod or process (the collector's "[pod] …", "[process] …" frames). */
  split?: "off" | "pod" | "process";
}

/**
 * One request for a service, pid or node, a node split by the collector's own
 * synthetic frames ("[service] …"). Otherwise — everything, or a namespace —
 * one request per service of the services list (the busiest
 * MAX_SPLIT_SERVICES), joined under "namespace: …" and "service: …" frames
 * here: the collector refuses a graph without a scope, and its namespace scope
 * is the samples' Kubernetes namespace, empty in host mode, while the services
 * list (already filtered by the frame's namespace) names what the user sees on
 * the map. `services` is undefined while the list is loading.
 */
export function planFlameRequests(
  selection: FlameSelection,
  services: readonly ServiceOption[] | undefined,
  range: Instants,
): { requests: FlameRequest[]; omitted: number } | undefined {
  const pid = selection.pid > 0 ? selection.pid : undefined;
  const { service, namespace, node } = selection;
  if (service !== undefined || pid !== undefined || node !== undefined) {
    const splitBy =
      service === undefined && pid === undefined
        ? (["service"] as const)
        : selection.split === "pod" || selection.split === "process"
          ? [selection.split]
          : [];
    return {
      requests: [{ scopes: [], url: flameGraphUrl({ service, pid, namespace, node, splitBy }, range) }],
      omitted: 0,
    };
  }
  if (services === undefined) return undefined;
  const busiest = [...services]
    .sort((a, b) => b.requestCount - a.requestCount || (a.name < b.name ? -1 : 1))
    .slice(0, MAX_SPLIT_SERVICES);
  return {
    requests: busiest.map((option) => ({
      scopes: [
        ...(option.namespace !== undefined ? [{ kind: "namespace" as const, value: option.namespace }] : []),
        { kind: "service" as const, value: option.name },
      ],
      url: flameGraphUrl({ service: option.name }, range),
    })),
    omitted: Math.max(0, services.length - busiest.length),
  };
}

export interface AgentOption {
  agentId: string;
  hostname: string;
}

/** Reads GET /api/v1/agents: the nodes a graph can be narrowed to. */
export function parseAgentOptions(body: unknown): AgentOption[] | undefined {
  const object = asObject(body);
  if (!object || !Array.isArray(object.agents)) return undefined;
  return readArray(object, "agents")
    .map((row) => asObject(row) ?? {})
    .map((row) => ({ agentId: readString(row, "agentId"), hostname: readString(row, "hostname") }))
    .filter((agent) => agent.agentId !== "");
}

export interface ProcessOption {
  pid: number;
  processName: string;
  node: string;
  pod: string;
}

/**
 * The processes seen as `service` in GET /api/v1/requests (either end): the
 * pids a flame graph can be narrowed to, with the node and pod they ran on.
 * There is no list of profiled processes in the API, so recent requests are
 * the honest source: a process that served nothing is not offered.
 */
export function processOptions(body: unknown, service: string): ProcessOption[] {
  const seen = new Map<string, ProcessOption>();
  for (const row of readArray(asObject(body) ?? {}, "requests")) {
    const request = asObject(row);
    if (!request) continue;
    for (const side of ["client", "server"] as const) {
      const end = asObject(request[side]);
      if (!end || readString(end, "service") !== service) continue;
      const pid = readNumber(end, "pid");
      if (!Number.isInteger(pid) || pid <= 0) continue;
      const option = {
        pid,
        processName: readString(end, "processName"),
        node: readString(end, "node"),
        pod: readString(end, "pod"),
      };
      seen.set(`${option.node}/${pid}`, option);
    }
  }
  return [...seen.values()].sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : a.pid - b.pid));
}
