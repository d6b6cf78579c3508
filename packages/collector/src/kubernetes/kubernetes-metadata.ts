// Whether the collector watches a cluster, and how it reaches the API server.
// The watch starts only when there is a cluster to watch: in-cluster (the
// service-account mount and KUBERNETES_SERVICE_HOST every pod gets), an
// explicit kubeconfig, or an API URL. Anything else is host mode: records keep
// their process identity, and nothing is logged about Kubernetes again.
import { existsSync } from "node:fs";
import { KubeConfig } from "@kubernetes/client-node";
import {
  ClusterWatch,
  type ClusterWatchOptions,
  DEFAULT_WATCH_OPTIONS,
  type WatchLogger,
} from "./cluster-watch.js";
import type { KubernetesMetadata } from "./identity.js";
import { MetadataIndex } from "./metadata-index.js";

export interface KubernetesSettings {
  /** "auto": watch when a cluster is configured or the collector runs in one; "off": never. */
  mode: "auto" | "off";
  /** A kubeconfig file to use instead of the in-cluster service account. */
  kubeconfig: string;
  /** An API server URL reached without credentials (kubectl proxy, a test's stand-in). */
  apiUrl: string;
  /** Set by the kubelet in every pod (KUBERNETES_SERVICE_HOST): the collector runs in a cluster. */
  inClusterHost: string;
  /** Seconds a deleted pod still resolves. */
  graceSeconds: number;
  /** Where the pod's service-account token is mounted (the kubelet's path unless a test says otherwise). */
  serviceAccountTokenPath?: string;
}

const SERVICE_ACCOUNT_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

export interface RunningMetadata {
  metadata: KubernetesMetadata;
  index: MetadataIndex;
  watch: ClusterWatch;
  /** Where the API server came from, for the startup log line. */
  source: string;
  stop(): Promise<void>;
}

/** The client configuration to watch with, or undefined in host mode. */
export function kubeConfigFor(
  settings: KubernetesSettings,
): { config: KubeConfig; source: string } | undefined {
  if (settings.mode === "off") return undefined;
  const config = new KubeConfig();
  if (settings.apiUrl !== "") {
    config.loadFromOptions({
      // The client refuses plain http unless told TLS checks are off; there is no TLS to check.
      clusters: [
        { name: "periscope", server: settings.apiUrl, skipTLSVerify: settings.apiUrl.startsWith("http:") },
      ],
      users: [{ name: "periscope" }],
      contexts: [{ name: "periscope", cluster: "periscope", user: "periscope" }],
      currentContext: "periscope",
    });
    return { config, source: `API server ${settings.apiUrl}` };
  }
  if (settings.kubeconfig !== "") {
    config.loadFromFile(settings.kubeconfig);
    return { config, source: `kubeconfig ${settings.kubeconfig}` };
  }
  // A pod without a mounted token (automountServiceAccountToken: false) cannot
  // watch: host mode, rather than a request failing forever.
  if (
    settings.inClusterHost !== "" &&
    existsSync(settings.serviceAccountTokenPath ?? SERVICE_ACCOUNT_TOKEN)
  ) {
    // Reads the service account's token and CA from /var/run/secrets/kubernetes.io/serviceaccount.
    config.loadFromCluster();
    return { config, source: "in-cluster service account" };
  }
  return undefined;
}

/**
 * Starts the watch when a cluster is configured; undefined in host mode. It
 * resolves once every kind has been listed or has failed its first try (it
 * then keeps retrying in the background): ingest can start either way.
 */
export async function startKubernetesMetadata(
  settings: KubernetesSettings,
  logger: WatchLogger,
  watchOptions: ClusterWatchOptions = DEFAULT_WATCH_OPTIONS,
): Promise<RunningMetadata | undefined> {
  const target = kubeConfigFor(settings);
  if (target === undefined) return undefined;
  const index = new MetadataIndex({ graceMs: settings.graceSeconds * 1000 });
  const watch = new ClusterWatch(target.config, index, logger, watchOptions);
  // Deleted pods leave once their grace period ends even when the cluster is quiet.
  const sweep = setInterval(() => index.expire(), 10_000);
  sweep.unref();
  await watch.start();
  logger.info(`kubernetes metadata: watching the cluster through the ${target.source}`);
  return {
    metadata: index,
    index,
    watch,
    source: target.source,
    async stop() {
      clearInterval(sweep);
      await watch.stop();
    },
  };
}
