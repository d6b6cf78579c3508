// Request search by Kubernetes identity (issue #13): namespace, workload, pod
// and node, each matching either end of a call, as the service filter does.
// The columns are filled at ingest (src/kubernetes/decorate.ts) and carry
// skip indexes (migrations 0003, 0020). Values travel as bound parameters.
import type { QueryParams } from "../storage/storage.js";

export interface KubernetesFilter {
  namespace?: string;
  /** Deployment, StatefulSet, DaemonSet, CronJob… name (a bare pod's own name). */
  workload?: string;
  pod?: string;
  node?: string;
}

const FIELDS = [
  ["namespace", "k8s_namespace"],
  ["workload", "k8s_workload"],
  ["pod", "k8s_pod"],
  ["node", "k8s_node"],
] as const;

/** One "client or server" condition per filter set. */
export function kubernetesConditions(filter: KubernetesFilter): string[] {
  const conditions: string[] = [];
  for (const [field, param] of FIELDS) {
    if (filter[field] === undefined) continue;
    conditions.push(`(client_${field} = {${param}:String} OR server_${field} = {${param}:String})`);
  }
  return conditions;
}

export function kubernetesParams(filter: KubernetesFilter): QueryParams {
  const params: QueryParams = {};
  for (const [field, param] of FIELDS) {
    const value = filter[field];
    if (value !== undefined) params[param] = value;
  }
  return params;
}

const NAME = "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$|^$";

/**
 * Query-string schema of the four filters. Kubernetes names are DNS labels or
 * subdomains (RFC 1123: lower case, digits, '-', '.'; at most 253), so
 * anything else cannot match and is refused with the rule it broke.
 */
export const kubernetesFilterProperties = {
  namespace: {
    type: "string",
    maxLength: 63,
    pattern: NAME,
    description: "Kubernetes namespace of either end",
  },
  workload: {
    type: "string",
    maxLength: 253,
    pattern: NAME,
    description: "workload (Deployment, StatefulSet, DaemonSet, CronJob, Job…) of either end",
  },
  pod: { type: "string", maxLength: 253, pattern: NAME, description: "pod of either end" },
  // A host without Kubernetes names its node by hostname, which may have upper case.
  node: {
    type: "string",
    maxLength: 253,
    pattern: "^[A-Za-z0-9]([-A-Za-z0-9._]*[A-Za-z0-9])?$|^$",
    description: "node (or host) either end ran on",
  },
} as const;
