import type { Core, ElementDefinition } from "cytoscape";
import { markLabelStale } from "./deferredLabels";
import type { ElementDiff } from "./diffElements";
import { DRAWN_FIELDS, type GraphElement } from "./elements";
import { placeByGroup } from "./placeByGroup";
import type { Point } from "./placeNewNodes";

export interface ApplyOutcome {
  /** Ids of nodes that were added (and so were laid out). */
  placedNodeIds: string[];
}

const isBox = (element: GraphElement) => element.group === "nodes" && element.data.kind === "group";

/**
 * Applies a diff to a live Cytoscape instance. Existing nodes keep their positions;
 * added nodes take their remembered position (`remembered`, e.g. from the last visit)
 * or are laid out by placeByGroup (each namespace's services together), the same way
 * whether the map was empty or not.
 * Namespace boxes are compound nodes: Cytoscape sizes them from their children, so
 * they are added first (children may move into them) and never placed themselves.
 */
export function applyElementDiff(
  cy: Core,
  diff: ElementDiff,
  remembered: ReadonlyMap<string, Point> = new Map(),
  /** Whether an edge's label is drawn now (zoom, screen); a change of label alone waits when not (deferredLabels.ts). */
  labelShown: (source: string, target: string) => boolean = () => true,
): ApplyOutcome {
  // Figures nothing draws go straight into each element's data object: data() would
  // restyle the element and, inside a namespace box, every element of the box, for a
  // change that leaves the canvas as it was (make bench-ui: ~50 ms a poll at 200 services).
  for (const element of diff.refresh) {
    const live = cy.getElementById(element.data.id);
    if (live.nonempty()) Object.assign(live.data(), element.data);
  }
  cy.batch(() => {
    cy.add(
      diff.add.filter(isBox).map((element): ElementDefinition => ({ group: "nodes", data: element.data })),
    );
    for (const element of diff.update) {
      const live = cy.getElementById(element.data.id);
      if (
        element.group === "edges" &&
        live.nonempty() &&
        onlyLabelDiffers(live.data(), element.data) &&
        !labelShown(element.data.source, element.data.target)
      ) {
        Object.assign(live.data(), element.data);
        markLabelStale(cy, element.data.id);
        continue;
      }
      const { parent, ...data } = element.data as GraphElement["data"] & { parent?: string };
      // Cytoscape ignores `parent` in data(); a node changes box through move().
      if (element.group === "nodes" && live.data("parent") !== parent) {
        live.move({ parent: parent ?? null });
      }
      live.data(data);
    }
    for (const id of diff.remove) cy.getElementById(id).remove();
  });

  const added = diff.add.filter((element) => !isBox(element));
  if (added.length === 0) return { placedNodeIds: [] };
  const newNodes = added.filter((element) => element.group === "nodes");
  const positions =
    newNodes.length > 0 ? placeAdded(cy, added, newNodes, remembered) : new Map<string, Point>();
  cy.batch(() => {
    cy.add(
      added.map((element): ElementDefinition => {
        const position = positions.get(element.data.id) ?? remembered.get(element.data.id);
        return {
          group: element.group,
          data: element.data,
          ...(position ? { position: { ...position } } : {}),
        };
      }),
    );
  });
  return { placedNodeIds: newNodes.map((node) => node.data.id) };
}

function onlyLabelDiffers(live: Record<string, unknown>, next: GraphElement["data"]): boolean {
  for (const key of DRAWN_FIELDS) {
    if (key !== "label" && !Object.is(live[key], (next as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/** Positions for the added nodes around the nodes already drawn (placeByGroup). */
function placeAdded(
  cy: Core,
  added: readonly GraphElement[],
  newNodes: readonly GraphElement[],
  remembered: ReadonlyMap<string, Point>,
): Map<string, Point> {
  const placed = new Map<string, Point>();
  const placedGroups = new Map<string, string>();
  for (const node of cy.nodes()) {
    const data = node.data() as GraphElement["data"];
    if ("kind" in data && data.kind === "group") continue;
    placed.set(data.id, { ...node.position() });
    placedGroups.set(data.id, String(("group" in data ? data.group : "") ?? ""));
  }
  for (const node of newNodes) {
    const point = remembered.get(node.data.id);
    if (point) {
      placed.set(node.data.id, point);
      if (node.group === "nodes") placedGroups.set(node.data.id, node.data.group);
    }
  }
  // Ends read from data: edge.source() would build a collection per edge.
  const edgeEnds = cy.edges().map((edge) => ({
    source: String(edge.data("source")),
    target: String(edge.data("target")),
  }));
  for (const element of added) {
    if (element.group === "edges")
      edgeEnds.push({ source: element.data.source, target: element.data.target });
  }
  return placeByGroup(
    placed,
    placedGroups,
    newNodes.map((node) => ({ id: node.data.id, group: node.group === "nodes" ? node.data.group : "" })),
    edgeEnds,
  );
}
