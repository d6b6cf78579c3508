// The collector's one cluster-wide watch: an informer per resource kind
// (@kubernetes/client-node's ListWatch) feeding the metadata index. Agents
// watch nothing; N agents each watching every pod is the scaling limit
// Beyla's users hit (grafana/beyla#824), one watch at the centre is not.
//
// The informer handles the API's own recovery rules: a watch that ends is
// resumed from the last resourceVersion, and "410 Gone" (the version was
// compacted away, API concepts "Efficient detection of changes") makes it
// re-list. What it leaves to its user is any other failure (API server
// restarting, connection refused, 5xx): it reports an error and stops. Each
// informer here is then restarted after a backoff that doubles to a cap and
// resets once a list or watch event arrives again.
import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  DiscoveryV1Api,
  type Informer,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  makeInformer,
} from "@kubernetes/client-node";
import { type KubeObject, stripForCache } from "./kube-objects.js";
import type { MetadataIndex, WatchedKind } from "./metadata-index.js";

export interface WatchLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface ClusterWatchOptions {
  /** First wait before restarting a failed informer; doubles to maxBackoffMs. */
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** Objects per list page: a 10,000-pod cluster lists in pages, not one response held whole. */
  pageSize: number;
}

export const DEFAULT_WATCH_OPTIONS: ClusterWatchOptions = {
  initialBackoffMs: 1_000,
  maxBackoffMs: 30_000,
  pageSize: 500,
};

interface PageParams {
  limit: number;
  _continue?: string;
}
type ListPage = (params: PageParams) => Promise<KubernetesListObject<KubernetesObject>>;

interface Resource {
  kind: WatchedKind;
  path: string;
  list: ListPage;
}

function resources(config: KubeConfig): Resource[] {
  const core = config.makeApiClient(CoreV1Api);
  const apps = config.makeApiClient(AppsV1Api);
  const batch = config.makeApiClient(BatchV1Api);
  const discovery = config.makeApiClient(DiscoveryV1Api);
  return [
    // Owners first: pods listed after their ReplicaSets resolve to Deployments at once.
    {
      kind: "Deployment",
      path: "/apis/apps/v1/deployments",
      list: (p) => apps.listDeploymentForAllNamespaces(p),
    },
    {
      kind: "StatefulSet",
      path: "/apis/apps/v1/statefulsets",
      list: (p) => apps.listStatefulSetForAllNamespaces(p),
    },
    {
      kind: "DaemonSet",
      path: "/apis/apps/v1/daemonsets",
      list: (p) => apps.listDaemonSetForAllNamespaces(p),
    },
    {
      kind: "ReplicaSet",
      path: "/apis/apps/v1/replicasets",
      list: (p) => apps.listReplicaSetForAllNamespaces(p),
    },
    { kind: "CronJob", path: "/apis/batch/v1/cronjobs", list: (p) => batch.listCronJobForAllNamespaces(p) },
    { kind: "Job", path: "/apis/batch/v1/jobs", list: (p) => batch.listJobForAllNamespaces(p) },
    { kind: "Node", path: "/api/v1/nodes", list: (p) => core.listNode(p) },
    { kind: "Service", path: "/api/v1/services", list: (p) => core.listServiceForAllNamespaces(p) },
    {
      kind: "EndpointSlice",
      path: "/apis/discovery.k8s.io/v1/endpointslices",
      list: (p) => discovery.listEndpointSliceForAllNamespaces(p),
    },
    { kind: "Pod", path: "/api/v1/pods", list: (p) => core.listPodForAllNamespaces(p) },
  ];
}

/** All pages of a list, as one list at the first page's resourceVersion (the snapshot every page belongs to). */
async function listAllPages(
  list: ListPage,
  pageSize: number,
): Promise<KubernetesListObject<KubernetesObject>> {
  const first = await list({ limit: pageSize });
  const items = [...first.items];
  let next = first.metadata?._continue;
  while (next !== undefined && next !== "") {
    const page = await list({ limit: pageSize, _continue: next });
    items.push(...page.items);
    next = page.metadata?._continue;
  }
  return { ...first, items };
}

export interface WatchState {
  kind: WatchedKind;
  /** Lists done (the first, and every re-list after 410 Gone or a restart that needed one). */
  lists: number;
  /** Times the informer failed and was restarted. */
  restarts: number;
  lastError?: string;
  healthy: boolean;
}

interface WatchedResource {
  resource: Resource;
  informer: Informer<KubernetesObject>;
  state: WatchState;
  backoffMs: number;
}

export class ClusterWatch {
  private readonly informers: WatchedResource[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly config: KubeConfig,
    private readonly index: MetadataIndex,
    private readonly logger: WatchLogger,
    private readonly options: ClusterWatchOptions = DEFAULT_WATCH_OPTIONS,
  ) {}

  get states(): readonly WatchState[] {
    return this.informers.map(({ state }) => state);
  }

  /** Starts every informer; resolves once each has listed (or failed its first try, then it keeps retrying). */
  async start(): Promise<void> {
    const started: Promise<void>[] = [];
    for (const resource of resources(this.config)) {
      const state: WatchState = { kind: resource.kind, lists: 0, restarts: 0, healthy: false };
      const informer = makeInformer(this.config, resource.path, async () => {
        const list = await listAllPages(resource.list, this.options.pageSize);
        state.lists += 1;
        return list;
      });
      const entry: WatchedResource = { resource, informer, state, backoffMs: this.options.initialBackoffMs };
      this.informers.push(entry);
      const apply = (type: "add" | "update" | "delete") => (object: KubernetesObject) => {
        this.recovered(entry);
        this.index.apply(resource.kind, type, object as KubeObject);
        stripForCache(object as KubeObject);
      };
      informer.on("add", apply("add"));
      informer.on("update", apply("update"));
      informer.on("delete", apply("delete"));
      informer.on("error", (error: unknown) => {
        if (this.stopped) return;
        state.restarts += 1;
        const message = describe(error);
        // One line per failure spell and kind, not one per retry.
        if (state.healthy || state.lastError === undefined) {
          this.logger.warn(`kubernetes watch of ${resource.kind}: ${message}; retrying with backoff`);
        }
        state.healthy = false;
        state.lastError = message;
        const delay = entry.backoffMs;
        entry.backoffMs = Math.min(entry.backoffMs * 2, this.options.maxBackoffMs);
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          if (!this.stopped) void this.run(entry);
        }, delay);
        timer.unref();
        this.timers.add(timer);
      });
      started.push(this.run(entry));
    }
    await Promise.all(started);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all(this.informers.map(({ informer }) => informer.stop()));
  }

  /** (Re)starts one informer: it lists unless it can resume its watch, then watches. */
  private async run(entry: WatchedResource): Promise<void> {
    const failuresBefore = entry.state.restarts;
    await entry.informer.start();
    // No error while starting: the list (if one was needed) and the watch request succeeded.
    if (entry.state.restarts === failuresBefore) this.recovered(entry);
  }

  private recovered(entry: WatchedResource): void {
    const { state } = entry;
    entry.backoffMs = this.options.initialBackoffMs;
    if (state.healthy || state.lists === 0) return;
    if (state.lastError !== undefined) this.logger.info(`kubernetes watch of ${state.kind}: recovered`);
    state.healthy = true;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { statusCode?: number; code?: number | string }).statusCode;
    return code === undefined ? error.message : `HTTP ${code} ${error.message}`;
  }
  return String(error);
}
