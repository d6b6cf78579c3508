// What the collector knows about one end of a call once Kubernetes metadata
// has decorated it: the shape ingest reads (request-row.ts columns, metric
// series names) and the metadata index answers with.
import type { RequestRecord } from "@periscope/proto";

/** The controller a pod's identity comes from, after following its owner chain. */
export type WorkloadKind =
  | "Deployment"
  | "StatefulSet"
  | "DaemonSet"
  | "CronJob"
  | "Job"
  | "ReplicaSet"
  | "ReplicationController"
  | "Pod"
  | "Service"
  | "Node";

export interface EndpointIdentity {
  namespace: string;
  /** Stable across pod restarts and rollouts: Deployment, StatefulSet, … name; a bare pod's own name. */
  workload: string;
  workloadKind: WorkloadKind | "";
  /** "" for a Service's ClusterIP or a node address. */
  pod: string;
  node: string;
  /** The Service's name when the end was a ClusterIP. */
  service?: string;
  /**
   * What the end is called on the map and in search: "<namespace>/<workload>",
   * or "<namespace>/<Service>" for a ClusterIP; "" for a node's address. The
   * namespace makes it unique (two namespaces may each run an "api"); the
   * workload makes it outlive every pod that serves it.
   */
  displayName: string;
  /** The pod's labels (never a copy: the index shares them between lookups). */
  labels?: Readonly<Record<string, string>>;
}

/** Identities the decorator attached to a decoded record's two ends (kubernetes/decorate.ts). */
export interface RecordIdentities {
  client?: EndpointIdentity;
  server?: EndpointIdentity;
}

/**
 * A decoded record after decoration. The identities travel beside the proto
 * fields, not inside `attributes`, so the stored attribute map stays what
 * the agent sent.
 */
export type DecoratedRecord = RequestRecord & { identities?: RecordIdentities };

/** What ingest asks of the cluster's metadata; host mode has none. */
export interface KubernetesMetadata {
  /** The pod whose container has this id (64 hex, no runtime prefix). */
  byContainerId(containerId: string): EndpointIdentity | undefined;
  /** The pod with this IP (not host-network), a Service's ClusterIP, or a node's address. */
  byIp(ip: string): EndpointIdentity | undefined;
}
