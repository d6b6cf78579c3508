// The cluster as ingest needs it: container id → pod, IP → pod, Service or
// node, and each pod's workload through its owner chain. Fed by the watch
// (cluster-watch.ts) one object at a time; answers lookups synchronously,
// since ingest decorates every record of every batch.
//
// Memory stays bounded by what the cluster holds: one small entry per pod,
// Service, EndpointSlice, owner and node (no spec, no status beyond IPs and
// container ids), plus pods deleted within the grace period, capped.
import type { EndpointIdentity, KubernetesMetadata, WorkloadKind } from "./identity.js";
import {
  bareContainerId,
  type ContainerStatus,
  controllerOf,
  type EndpointSliceObject,
  type KubeObject,
  type NodeStatus,
  type PodSpec,
  type PodStatus,
  type ServiceSpec,
} from "./kube-objects.js";

/** The resources the collector watches (the only cluster-wide watch; agents watch nothing). */
export type WatchedKind =
  | "Pod"
  | "Service"
  | "EndpointSlice"
  | "ReplicaSet"
  | "Deployment"
  | "StatefulSet"
  | "DaemonSet"
  | "Job"
  | "CronJob"
  | "Node";

export type WatchEventType = "add" | "update" | "delete";

export interface MetadataIndexOptions {
  /** How long a deleted pod still resolves, for records that arrive late (agent spool, retries). */
  graceMs: number;
  /** Deleted pods kept at most; the oldest go first past it, even within the grace period. */
  maxDeletedPods: number;
  /** Container ids remembered per pod: each restart of a container adds one. */
  maxContainerIdsPerPod: number;
  now: () => number;
}

export const DEFAULT_INDEX_OPTIONS: MetadataIndexOptions = {
  graceMs: 300_000,
  maxDeletedPods: 20_000,
  maxContainerIdsPerPod: 32,
  now: Date.now,
};

interface PodEntry {
  key: string;
  namespace: string;
  name: string;
  node: string;
  ips: string[];
  containerIds: string[];
  owner?: { kind: string; name: string };
  /** Deployment's pod-template-hash: names the ReplicaSet's Deployment before the ReplicaSet is known. */
  templateHash?: string;
  labels: Readonly<Record<string, string>>;
  deletedAt?: number;
  /** Resolved identity, valid while `generation` matches the index's. */
  identity?: EndpointIdentity;
  generation: number;
}

interface ServiceEntry {
  namespace: string;
  name: string;
  clusterIps: string[];
}

interface SliceEntry {
  service: string;
  podKeys: string[];
}

// ReplicaSets and Jobs are looked through to their controller; the rest are workloads themselves.
const LOOKED_THROUGH = new Set(["ReplicaSet", "Job"]);
const WORKLOAD_KINDS = new Set<string>([
  "Deployment",
  "StatefulSet",
  "DaemonSet",
  "CronJob",
  "Job",
  "ReplicaSet",
  "ReplicationController",
]);
const SERVICE_NAME_LABEL = "kubernetes.io/service-name";
const TEMPLATE_HASH_LABEL = "pod-template-hash";

const keyOf = (namespace: string, name: string) => `${namespace}/${name}`;

export class MetadataIndex implements KubernetesMetadata {
  private readonly options: MetadataIndexOptions;
  private readonly pods = new Map<string, PodEntry>();
  private readonly podByContainer = new Map<string, string>();
  private readonly podByIp = new Map<string, string>();
  private readonly services = new Map<string, ServiceEntry>();
  private readonly serviceByIp = new Map<string, string>();
  private readonly slices = new Map<string, SliceEntry>();
  private readonly slicesByService = new Map<string, Set<string>>();
  private readonly nodeByIp = new Map<string, string>();
  private readonly nodeIps = new Map<string, string[]>();
  /** "<Kind>/<namespace>/<name>" → its controller, for ReplicaSets and Jobs; workloads map to undefined. */
  private readonly owners = new Map<string, { kind: string; name: string } | undefined>();
  /** Deleted pods, oldest first (deletion order). */
  private readonly deleted: string[] = [];
  /** Bumped when an owner changes: cached pod identities are recomputed on their next lookup. */
  private generation = 0;

  constructor(options: Partial<MetadataIndexOptions> = {}) {
    this.options = { ...DEFAULT_INDEX_OPTIONS, ...options };
  }

  get size(): { pods: number; deletedPods: number; services: number; endpointSlices: number; nodes: number } {
    return {
      pods: this.pods.size - this.deleted.length,
      deletedPods: this.deleted.length,
      services: this.services.size,
      endpointSlices: this.slices.size,
      nodes: this.nodeIps.size,
    };
  }

  apply(kind: WatchedKind, type: WatchEventType, object: KubeObject): void {
    this.expire();
    const meta = object.metadata;
    if (meta?.name === undefined) return;
    const namespace = meta.namespace ?? "";
    const deleted = type === "delete";
    switch (kind) {
      case "Pod":
        if (deleted) this.deletePod(meta.uid ?? keyOf(namespace, meta.name));
        else this.putPod(object);
        return;
      case "Service":
        this.putService(keyOf(namespace, meta.name), deleted ? undefined : object);
        return;
      case "EndpointSlice":
        this.putSlice(keyOf(namespace, meta.name), deleted ? undefined : (object as EndpointSliceObject));
        return;
      case "Node":
        this.putNode(meta.name, deleted ? undefined : object);
        return;
      default: {
        const key = `${kind}/${namespace}/${meta.name}`;
        if (deleted) this.owners.delete(key);
        else {
          const owner = LOOKED_THROUGH.has(kind) ? controllerOf(meta) : undefined;
          const previous = this.owners.get(key);
          if (this.owners.has(key) && previous?.kind === owner?.kind && previous?.name === owner?.name)
            return;
          this.owners.set(key, owner === undefined ? undefined : { kind: owner.kind, name: owner.name });
        }
        this.generation++;
      }
    }
  }

  byContainerId(containerId: string): EndpointIdentity | undefined {
    const key = this.podByContainer.get(containerId);
    return key === undefined ? undefined : this.podIdentity(key);
  }

  byIp(ip: string): EndpointIdentity | undefined {
    const service = this.serviceByIp.get(ip);
    if (service !== undefined) return this.serviceIdentity(service);
    const pod = this.podByIp.get(ip);
    if (pod !== undefined) return this.podIdentity(pod);
    const node = this.nodeByIp.get(ip);
    if (node !== undefined) {
      return { namespace: "", workload: "", workloadKind: "Node", pod: "", node, displayName: "" };
    }
    return undefined;
  }

  /** Forgets pods deleted longer ago than the grace period (also run on every event). */
  expire(): void {
    const cutoff = this.options.now() - this.options.graceMs;
    while (this.deleted.length > 0) {
      const key = this.deleted[0] as string;
      const entry = this.pods.get(key);
      const stale =
        entry === undefined ||
        entry.deletedAt === undefined ||
        entry.deletedAt <= cutoff ||
        this.deleted.length > this.options.maxDeletedPods;
      if (!stale) break;
      this.deleted.shift();
      if (entry?.deletedAt !== undefined) this.forgetPod(entry);
    }
  }

  private putPod(object: KubeObject): void {
    const meta = object.metadata ?? {};
    const namespace = meta.namespace ?? "";
    const name = meta.name ?? "";
    const key = meta.uid ?? keyOf(namespace, name);
    const spec = (object.spec ?? {}) as PodSpec;
    const status = (object.status ?? {}) as PodStatus;
    const previous = this.pods.get(key);
    const ips = spec.hostNetwork === true ? [] : podIps(status);
    // Ids of containers that restarted stay: their last records may still be on the way.
    const containerIds = [...(previous?.containerIds ?? [])];
    for (const id of containerIdsOf(status)) {
      if (!containerIds.includes(id)) containerIds.push(id);
    }
    while (containerIds.length > this.options.maxContainerIdsPerPod) {
      const dropped = containerIds.shift() as string;
      if (this.podByContainer.get(dropped) === key) this.podByContainer.delete(dropped);
    }
    const owner = controllerOf(meta);
    const entry: PodEntry = {
      key,
      namespace,
      name,
      node: spec.nodeName ?? previous?.node ?? "",
      ips: ips.length > 0 ? ips : (previous?.ips ?? []),
      containerIds,
      owner: owner === undefined ? undefined : { kind: owner.kind, name: owner.name },
      templateHash: meta.labels?.[TEMPLATE_HASH_LABEL],
      labels: meta.labels ?? {},
      generation: -1,
    };
    if (previous?.deletedAt !== undefined) {
      // A pod seen again after its deletion (a re-list raced the delete): it lives.
      const at = this.deleted.indexOf(key);
      if (at >= 0) this.deleted.splice(at, 1);
    }
    this.pods.set(key, entry);
    for (const id of containerIds) this.podByContainer.set(id, key);
    // The newest pod holding an IP owns it: IPs are reused once a pod is gone.
    for (const ip of entry.ips) this.podByIp.set(ip, key);
  }

  private deletePod(key: string): void {
    const entry = this.pods.get(key);
    if (entry === undefined || entry.deletedAt !== undefined) return;
    entry.deletedAt = this.options.now();
    this.deleted.push(key);
    this.expire();
  }

  private forgetPod(entry: PodEntry): void {
    this.pods.delete(entry.key);
    for (const id of entry.containerIds) {
      if (this.podByContainer.get(id) === entry.key) this.podByContainer.delete(id);
    }
    for (const ip of entry.ips) {
      if (this.podByIp.get(ip) === entry.key) this.podByIp.delete(ip);
    }
  }

  private podIdentity(key: string): EndpointIdentity | undefined {
    const entry = this.pods.get(key);
    if (entry === undefined) return undefined;
    if (entry.identity !== undefined && entry.generation === this.generation) return entry.identity;
    const { kind, name } = this.workloadOf(entry);
    entry.identity = {
      namespace: entry.namespace,
      workload: name,
      workloadKind: kind,
      pod: entry.name,
      node: entry.node,
      labels: entry.labels,
      displayName: `${entry.namespace}/${name}`,
    };
    entry.generation = this.generation;
    return entry.identity;
  }

  /**
   * Follows the controller chain up to the workload: ReplicaSet → Deployment,
   * Job → CronJob. A ReplicaSet not seen yet (the watch lags the pod) is named
   * by what the Deployment controller calls it, "<deployment>-<pod-template-hash>".
   */
  private workloadOf(entry: PodEntry): { kind: WorkloadKind; name: string } {
    let current = entry.owner;
    if (current === undefined || !WORKLOAD_KINDS.has(current.kind)) return { kind: "Pod", name: entry.name };
    for (let depth = 0; depth < 4 && LOOKED_THROUGH.has(current.kind); depth++) {
      const key = `${current.kind}/${entry.namespace}/${current.name}`;
      if (!this.owners.has(key)) {
        const hash = entry.templateHash;
        if (current.kind === "ReplicaSet" && hash !== undefined && current.name.endsWith(`-${hash}`)) {
          return { kind: "Deployment", name: current.name.slice(0, -hash.length - 1) };
        }
        break;
      }
      const up = this.owners.get(key);
      if (up === undefined || !WORKLOAD_KINDS.has(up.kind)) break;
      current = up;
    }
    return { kind: current.kind as WorkloadKind, name: current.name };
  }

  private putService(key: string, object: KubeObject | undefined): void {
    const previous = this.services.get(key);
    for (const ip of previous?.clusterIps ?? []) {
      if (this.serviceByIp.get(ip) === key) this.serviceByIp.delete(ip);
    }
    if (object === undefined) {
      this.services.delete(key);
      return;
    }
    const spec = (object.spec ?? {}) as ServiceSpec;
    // Headless Services ("None") and ExternalName have no virtual IP: their names resolve to pods.
    const clusterIps = (spec.clusterIPs ?? (spec.clusterIP === undefined ? [] : [spec.clusterIP])).filter(
      (ip) => ip !== "" && ip !== "None",
    );
    const meta = object.metadata ?? {};
    this.services.set(key, { namespace: meta.namespace ?? "", name: meta.name ?? "", clusterIps });
    for (const ip of clusterIps) this.serviceByIp.set(ip, key);
  }

  /** A Service end: its name, and its workload when every pod behind it (EndpointSlices) has the same one. */
  private serviceIdentity(key: string): EndpointIdentity | undefined {
    const service = this.services.get(key);
    if (service === undefined) return undefined;
    let workload: { kind: WorkloadKind | ""; name: string } | undefined;
    let mixed = false;
    for (const sliceKey of this.slicesByService.get(key) ?? []) {
      for (const podKey of this.slices.get(sliceKey)?.podKeys ?? []) {
        const pod = this.podIdentity(podKey);
        if (pod === undefined) continue;
        if (workload === undefined) workload = { kind: pod.workloadKind, name: pod.workload };
        else if (workload.name !== pod.workload || workload.kind !== pod.workloadKind) mixed = true;
      }
    }
    const backing = workload !== undefined && !mixed ? workload : undefined;
    return {
      namespace: service.namespace,
      workload: backing?.name ?? "",
      workloadKind: backing?.kind ?? "Service",
      pod: "",
      node: "",
      service: service.name,
      displayName: `${service.namespace}/${service.name}`,
    };
  }

  private putSlice(key: string, slice: EndpointSliceObject | undefined): void {
    const previous = this.slices.get(key);
    if (previous !== undefined) this.slicesByService.get(previous.service)?.delete(key);
    if (slice === undefined) {
      this.slices.delete(key);
      return;
    }
    const namespace = slice.metadata?.namespace ?? "";
    const serviceName = slice.metadata?.labels?.[SERVICE_NAME_LABEL];
    if (serviceName === undefined) {
      this.slices.delete(key);
      return;
    }
    const podKeys: string[] = [];
    for (const endpoint of slice.endpoints ?? []) {
      const ref = endpoint.targetRef;
      if (ref?.kind !== "Pod") continue;
      const podKey = ref.uid ?? keyOf(ref.namespace ?? namespace, ref.name ?? "");
      if (!podKeys.includes(podKey)) podKeys.push(podKey);
    }
    const service = keyOf(namespace, serviceName);
    this.slices.set(key, { service, podKeys });
    let set = this.slicesByService.get(service);
    if (set === undefined) {
      set = new Set();
      this.slicesByService.set(service, set);
    }
    set.add(key);
  }

  private putNode(name: string, object: KubeObject | undefined): void {
    for (const ip of this.nodeIps.get(name) ?? []) {
      if (this.nodeByIp.get(ip) === name) this.nodeByIp.delete(ip);
    }
    if (object === undefined) {
      this.nodeIps.delete(name);
      return;
    }
    const addresses = ((object.status ?? {}) as NodeStatus).addresses ?? [];
    const ips = addresses
      .filter((address) => address.type === "InternalIP" || address.type === "ExternalIP")
      .map((address) => address.address);
    this.nodeIps.set(name, ips);
    for (const ip of ips) this.nodeByIp.set(ip, name);
  }
}

function podIps(status: PodStatus): string[] {
  const ips = (status.podIPs ?? []).map((entry) => entry.ip).filter((ip) => ip !== undefined && ip !== "");
  if (ips.length === 0 && status.podIP !== undefined && status.podIP !== "") ips.push(status.podIP);
  return ips;
}

function containerIdsOf(status: PodStatus): string[] {
  const ids: string[] = [];
  const add = (statuses: ContainerStatus[] | undefined) => {
    for (const container of statuses ?? []) {
      for (const raw of [container.containerID, container.lastState?.terminated?.containerID]) {
        const id = bareContainerId(raw);
        if (id !== undefined && !ids.includes(id)) ids.push(id);
      }
    }
  };
  add(status.initContainerStatuses);
  add(status.containerStatuses);
  add(status.ephemeralContainerStatuses);
  return ids;
}
