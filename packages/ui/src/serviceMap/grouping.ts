// Which box a node is drawn in, and the ids of the synthetic nodes that stand for a
// group. Services with a namespace go in that namespace's box, external peers in one
// "External peers" box (Kiali draws unknown peers apart the same way), the rest unboxed.
import type { ModelNode } from "./mapModel";

export const EXTERNAL_GROUP = "(external)";

export function groupKeyOf(node: Pick<ModelNode, "namespace" | "kind">): string {
  if (node.namespace !== "") return node.namespace;
  return node.kind === "external" ? EXTERNAL_GROUP : "";
}

export function groupLabel(key: string): string {
  return key === EXTERNAL_GROUP ? "External peers" : key;
}

/** The namespace box (compound node). */
export const boxId = (key: string) => `group:${key}`;
/** A collapsed namespace drawn as one node. */
export const collapsedId = (key: string) => `collapsed:${key}`;
/** The "N hidden" marker of a group. */
export const hiddenMarkerId = (key: string) => `hidden:${key}`;

/** The group key behind a synthetic id, or undefined for a service's own id. */
export function groupKeyOfSyntheticId(
  id: string,
): { kind: "box" | "collapsed" | "hidden"; key: string } | undefined {
  for (const kind of ["box", "collapsed", "hidden"] as const) {
    const prefix = kind === "box" ? "group:" : `${kind}:`;
    if (id.startsWith(prefix)) return { kind, key: id.slice(prefix.length) };
  }
  return undefined;
}
