import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { KubernetesObject } from "./manifests.js";

// The Kubernetes versions the chart supports, oldest and newest (Chart.yaml kubeVersion,
// README "Kubernetes"), each checked with the models generated from that release's
// OpenAPI document. Both come from the npm registry, so the check runs offline:
//   kubernetes-models 4.3.1 — Kubernetes v1.27.1 (its CHANGELOG: "Update schema version to v1.27.1")
//   kubernetes-models 5.1.0 — Kubernetes v1.36 (5.0.0: "Update to Kubernetes v1.36.0")
// Both keep API versions Kubernetes removed (their 2.0.0: "older versions with removed
// APIs are merged"), so kubernetes-schema.test.ts checks the group versions separately.
export interface KubernetesVersion {
  /** "1.27" */
  version: string;
  /** Package (or npm alias) holding that version's models. */
  modelsPackage: string;
}

export const oldestKubernetes: KubernetesVersion = {
  version: "1.27",
  modelsPackage: "kubernetes-models-v1-27",
};
export const newestKubernetes: KubernetesVersion = { version: "1.36", modelsPackage: "kubernetes-models" };
export const supportedKubernetes = [oldestKubernetes, newestKubernetes];

interface ValidatingModel {
  validate(): void;
}
type ModelClass = new (data: unknown) => ValidatingModel;

/** The models' class for an apiVersion/kind: "apps/v1" + "DaemonSet" is <package>/apps/v1/DaemonSet. */
async function modelClassFor(models: string, apiVersion: string, kind: string): Promise<ModelClass> {
  let module: Record<string, unknown>;
  try {
    module = (await import(`${models}/${apiVersion}/${kind}`)) as Record<string, unknown>;
  } catch {
    throw new Error(`${models} has no ${apiVersion} ${kind}`);
  }
  const modelClass = module[kind];
  if (typeof modelClass !== "function") throw new Error(`${models} has no ${apiVersion} ${kind}`);
  return modelClass as ModelClass;
}

function describe(object: KubernetesObject): string {
  return `${object.kind}/${object.metadata.name}`;
}

/**
 * Checks one object against its kind's schema in one Kubernetes version (types, enums,
 * required fields) and throws with the object's identity and the schema's complaint.
 * The generated validators do not forbid unknown fields: unknownFields() does that.
 */
export async function validateObject(object: KubernetesObject, kubernetes: KubernetesVersion): Promise<void> {
  const modelClass = await modelClassFor(kubernetes.modelsPackage, object.apiVersion, object.kind);
  try {
    new modelClass(object).validate();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `${describe(object)} is not a valid ${object.apiVersion} ${object.kind} in Kubernetes ${kubernetes.version}: ${reason}`,
    );
  }
}

// Unknown fields. kubernetes-models 4.3.1 ships each definition as a plain JSON schema
// literal in _schemas/<Id>.js (later versions compile them into code), so the definitions
// can be read and walked: a field the oldest supported version does not know is one the
// API server there would drop (or, with strict field validation, refuse).

interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

const oldestModelsDir = dirname(
  createRequire(import.meta.url).resolve(`${oldestKubernetes.modelsPackage}/package.json`),
);
const apimachineryDir = dirname(
  createRequire(join(oldestModelsDir, "package.json")).resolve(
    "@kubernetes-models/apimachinery/package.json",
  ),
);
const schemaCache = new Map<string, JsonSchema>();

/** "io.k8s.api.core.v1.Capabilities#" → the schema literal in IoK8sApiCoreV1Capabilities.js. */
function definition(ref: string): JsonSchema {
  const id = ref.replace(/#$/, "");
  const cached = schemaCache.get(id);
  if (cached) return cached;
  const file = id
    .split(".")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
  const dir = id.startsWith("io.k8s.apimachinery.") ? apimachineryDir : oldestModelsDir;
  const source = readFileSync(join(dir, "_schemas", `${file}.js`), "utf8");
  const literal = /const schema = (\{[\s\S]*?\n\});\n/.exec(source)?.[1];
  if (!literal) throw new Error(`no schema literal in ${file}.js`);
  const schema = JSON.parse(literal) as JsonSchema;
  schemaCache.set(id, schema);
  return schema;
}

/** The definition id of a kind, read from its model module ("../../_schemas/IoK8sApiAppsV1DaemonSet.js"). */
function kindDefinition(apiVersion: string, kind: string): JsonSchema {
  const modelFile = join(oldestModelsDir, apiVersion, `${kind}.js`);
  const file = /_schemas\/(IoK8s\w+)\.js/.exec(readFileSync(modelFile, "utf8"))?.[1];
  if (!file) throw new Error(`${oldestKubernetes.modelsPackage} has no ${apiVersion} ${kind}`);
  const source = readFileSync(join(oldestModelsDir, "_schemas", `${file}.js`), "utf8");
  const literal = /const schema = (\{[\s\S]*?\n\});\n/.exec(source)?.[1];
  if (!literal) throw new Error(`no schema literal in ${file}.js`);
  return JSON.parse(literal) as JsonSchema;
}

function walk(value: unknown, schema: JsonSchema, path: string, found: string[]): void {
  if (value === null || value === undefined) return;
  if (schema.$ref) {
    walk(value, definition(schema.$ref), path, found);
    return;
  }
  for (const alternatives of [schema.oneOf, schema.anyOf, schema.allOf]) {
    // Nullable references are written oneOf [{$ref}, {type: null}]; IntOrString has no properties.
    for (const alternative of alternatives ?? []) walk(value, alternative, path, found);
  }
  if (Array.isArray(value)) {
    const items = schema.items;
    if (items) {
      for (const [index, item] of value.entries()) walk(item, items, `${path}[${index}]`, found);
    }
    return;
  }
  if (typeof value !== "object") return;
  const properties = schema.properties;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const childPath = path === "" ? key : `${path}.${key}`;
    const known = properties?.[key];
    if (known) walk(child, known, childPath, found);
    else if (typeof schema.additionalProperties === "object")
      walk(child, schema.additionalProperties, childPath, found);
    else if (properties) found.push(childPath);
  }
}

/** Paths of the fields in an object that its kind does not define in the oldest supported Kubernetes. */
export function unknownFields(object: KubernetesObject): string[] {
  const found: string[] = [];
  walk(object, kindDefinition(object.apiVersion, object.kind), "", found);
  return [...new Set(found)];
}
