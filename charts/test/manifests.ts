import { parseAllDocuments } from "yaml";

/** The fields every rendered Kubernetes object has; the rest is read per kind in tests. */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary fields of arbitrary kinds
  spec?: any;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  [field: string]: any;
}

/** Splits a `helm template` stream into objects; empty documents (from templates that render nothing) are dropped. */
export function parseManifests(stream: string): KubernetesObject[] {
  return parseAllDocuments(stream)
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`invalid YAML: ${document.errors[0]?.message}`);
      return document.toJS() as KubernetesObject | null;
    })
    .filter((object): object is KubernetesObject => object !== null);
}

export function findObject(objects: KubernetesObject[], kind: string, name: string): KubernetesObject {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) {
    const present = objects.map((object) => `${object.kind}/${object.metadata.name}`).join(", ");
    throw new Error(`no ${kind}/${name} in the render; present: ${present}`);
  }
  return found;
}

export function kindsOf(objects: KubernetesObject[]): string[] {
  return objects.map((object) => `${object.kind}/${object.metadata.name}`).sort();
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string };
    fieldRef?: { fieldPath: string };
  };
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  env?: EnvVar[];
  ports?: { name?: string; containerPort: number }[];
  // biome-ignore lint/suspicious/noExplicitAny: read per test
  [field: string]: any;
}

/** The only container of a workload's pod template (every Periscope pod has one). */
export function soleContainer(workload: KubernetesObject): Container {
  const containers = workload.spec.template.spec.containers as Container[];
  if (containers.length !== 1)
    throw new Error(`${workload.metadata.name} has ${containers.length} containers`);
  return containers[0] as Container;
}

export function envOf(container: Container, name: string): EnvVar {
  const found = container.env?.find((variable) => variable.name === name);
  if (!found) throw new Error(`${container.name} has no env ${name}`);
  return found;
}

const workloadKinds = new Set(["Deployment", "DaemonSet", "StatefulSet"]);

export function workloadsOf(objects: KubernetesObject[]): KubernetesObject[] {
  return objects.filter((object) => workloadKinds.has(object.kind));
}
