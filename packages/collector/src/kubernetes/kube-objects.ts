// The few fields of Kubernetes API objects the metadata index reads, as the
// API serves them (JSON field names of the v1 API reference: core/v1 Pod,
// Service, Node; discovery.k8s.io/v1 EndpointSlice; apps/v1 ReplicaSet, …;
// batch/v1 Job, CronJob). Typed API clients and watch events give the same
// layout, so one projection serves lists and watch streams.

export interface OwnerReference {
  apiVersion?: string;
  kind: string;
  name: string;
  uid?: string;
  /** The managing controller; at most one owner has it (ObjectMeta docs). */
  controller?: boolean;
}

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  labels?: Record<string, string>;
  ownerReferences?: OwnerReference[];
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: unknown;
  status?: unknown;
}

export interface ContainerStatus {
  name?: string;
  /** "<runtime>://<id>": containerd://…, cri-o://…, docker://…; absent until the container was created. */
  containerID?: string;
  lastState?: { terminated?: { containerID?: string } };
}

export interface PodSpec {
  nodeName?: string;
  hostNetwork?: boolean;
}

export interface PodStatus {
  podIP?: string;
  podIPs?: { ip: string }[];
  containerStatuses?: ContainerStatus[];
  initContainerStatuses?: ContainerStatus[];
  ephemeralContainerStatuses?: ContainerStatus[];
}

export interface ServiceSpec {
  type?: string;
  /** "None" for a headless Service (no virtual IP). */
  clusterIP?: string;
  clusterIPs?: string[];
}

export interface EndpointSliceObject extends KubeObject {
  endpoints?: {
    addresses?: string[];
    targetRef?: { kind?: string; name?: string; namespace?: string; uid?: string };
  }[];
}

export interface NodeStatus {
  addresses?: { type: string; address: string }[];
}

/** The container id as agents report it: the runtime's id without "containerd://" and the like. */
export function bareContainerId(containerID: string | undefined): string | undefined {
  if (containerID === undefined || containerID === "") return undefined;
  const scheme = containerID.indexOf("://");
  const id = scheme < 0 ? containerID : containerID.slice(scheme + 3);
  return id === "" ? undefined : id;
}

/** The owner that manages the object (controller: true), else its first owner. */
export function controllerOf(meta: ObjectMeta | undefined): OwnerReference | undefined {
  const owners = meta?.ownerReferences ?? [];
  return owners.find((owner) => owner.controller === true) ?? owners[0];
}

/**
 * Drops what the index never reads from an object an informer keeps in its
 * cache: the informer holds each object it was handed until the next one, and
 * a pod's spec and managedFields are most of its ~5–20 KB. What remains
 * (name, namespace, uid, resourceVersion) is what the informer itself uses to
 * tell changed and deleted objects apart.
 */
export function stripForCache(object: KubeObject): void {
  const meta = object.metadata;
  object.metadata =
    meta === undefined
      ? {}
      : { name: meta.name, namespace: meta.namespace, uid: meta.uid, resourceVersion: meta.resourceVersion };
  delete object.spec;
  delete object.status;
  delete (object as EndpointSliceObject).endpoints;
  delete (object as { data?: unknown }).data;
}
