// Decoration at ingest: each end of each record and metric series of a
// decoded batch gets the Kubernetes identity the collector knows for it.
// Agents send what only they can see (pid → cgroup → container id; the IPs);
// the collector adds what only the cluster's API knows (pod, workload, node,
// Services). Runs once per batch, before rows are built (export-batch-handler.ts).
//
// Which identity names the end on the map and in search (endpoint.service),
// always with its namespace ("shop/checkout", as Pixie names services), since
// two namespaces may each run an "api":
//   a pod → its workload (Deployment, StatefulSet, …), stable across restarts
//   and rollouts, so a restarted pod is not a new service;
//   a ClusterIP → the Service's name, so an edge to a Service shows it.
import type { Endpoint, ExportRequest, MetricSeries } from "@periscope/proto";
import type { DecoratedRecord, EndpointIdentity, KubernetesMetadata } from "./identity.js";

export interface DecorationCounts {
  /** Ends resolved by container id, by IP, and local ends nothing resolved. */
  byContainerId: number;
  byIp: number;
  unresolvedLocal: number;
}

/**
 * Decorates the batch in place. Without metadata (host mode) only the node of
 * the agent's own processes is set: the agent's hostname, which agents in a
 * cluster take from the downward API's node name.
 */
export function decorateExportRequest(
  request: ExportRequest,
  metadata: KubernetesMetadata | undefined,
  counts?: DecorationCounts,
): void {
  const agentNode = request.agent?.hostname ?? "";
  // One object for every host process of the batch: decoration must not allocate per record.
  const hostProcess: EndpointIdentity | undefined =
    agentNode === ""
      ? undefined
      : { namespace: "", workload: "", workloadKind: "", pod: "", node: agentNode, displayName: "" };
  const resolve = (end: Endpoint | undefined): EndpointIdentity | undefined => {
    if (end === undefined) return undefined;
    const local = end.pid !== 0 || end.containerId !== "";
    let identity: EndpointIdentity | undefined;
    if (metadata !== undefined) {
      if (end.containerId !== "") {
        identity = metadata.byContainerId(end.containerId);
        if (identity !== undefined && counts !== undefined) counts.byContainerId += 1;
      }
      const ip = unmapped(end.ip);
      if (identity === undefined && ip !== "" && !isLoopback(ip)) {
        identity = metadata.byIp(ip);
        if (identity !== undefined && counts !== undefined) counts.byIp += 1;
      }
    }
    if (identity === undefined && local) {
      if (counts !== undefined && metadata !== undefined) counts.unresolvedLocal += 1;
      // A host process (or a container Kubernetes does not run): only its node is known.
      return hostProcess;
    }
    if (identity !== undefined && identity.displayName !== "") end.service = identity.displayName;
    return identity;
  };

  // Host processes share these (read-only) pairs: host mode allocates nothing per record.
  const hostPairs = {
    client: { client: hostProcess, server: undefined },
    server: { client: undefined, server: hostProcess },
    both: { client: hostProcess, server: hostProcess },
  };
  for (const record of request.requests as DecoratedRecord[]) {
    const client = resolve(record.client);
    const server = resolve(record.server);
    if (client === undefined && server === undefined) continue;
    const clientHost = client === undefined || client === hostProcess;
    const serverHost = server === undefined || server === hostProcess;
    record.identities =
      clientHost && serverHost
        ? client === undefined
          ? hostPairs.server
          : server === undefined
            ? hostPairs.client
            : hostPairs.both
        : { client, server };
  }
  if (metadata === undefined) return;
  for (const series of request.metrics) decorateSeries(series, resolve);
}

// A series' local ends carry their container id as records' do (agents from
// issue #13 on), so `resolve` names them by container first and IP second: a
// host-network pod's series (IP = its node's) get its workload. An older
// agent's series have no id and are named by IP alone.
function decorateSeries(
  series: MetricSeries,
  resolve: (end: Endpoint | undefined) => EndpointIdentity | undefined,
): void {
  const client = resolve(series.client);
  const server = resolve(series.server);
  if (client !== undefined && client.namespace !== "") {
    series.clientNamespace = client.namespace;
    if (client.workload !== "") series.clientWorkload = client.workload;
  }
  if (server !== undefined && server.namespace !== "") {
    series.serverNamespace = server.namespace;
    if (server.workload !== "") series.serverWorkload = server.workload;
  }
}

/** An IPv4-mapped IPv6 address (a dual-stack socket's view of an IPv4 peer) as the IPv4 address Kubernetes lists. */
function unmapped(ip: string): string {
  return ip.startsWith("::ffff:") && ip.includes(".") ? ip.slice(7) : ip;
}

/** 127.0.0.0/8 and ::1 name a different host from every agent: never looked up cluster-wide. */
function isLoopback(ip: string): boolean {
  return ip.startsWith("127.") || ip === "::1";
}
