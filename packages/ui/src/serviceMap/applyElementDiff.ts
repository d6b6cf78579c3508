import type { Core, ElementDefinition } from "cytoscape";
import type { ElementDiff } from "./diffElements";
import type { GraphElement } from "./elements";
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
): ApplyOutcome {
  cy.batch(() => {
    cy.add(
      diff.add.filter(isBox).map((element): ElementDefinition => ({ group: "nodes", data: element.data })),
    );
    for (const element of diff.update) {
      const live = cy.getElementById(element.data.id);
      const { parent, ...data } = element.data as GraphElement["data"] & { parent?: string };
      // Cytoscape ignores `parent` in data(); a node changes box through move().
      if (element.group === "nodes" && live.parent()[0]?.id() !== parent) {
        live.move({ parent: parent ?? null });
      }
      live.data(data);
    }
    for (const id of diff.remove) cy.getElementById(id).remove();
  });

  const added = diff.add.filter((element) => !isBox(element));
  const newNodes = added.filter((element) => element.group === "nodes");
  const liveNodes = cy.nodes('[kind != "group"]');
  const placed = new Map<string, Point>(liveNodes.map((node) => [node.id(), { ...node.position() }]));
  const placedGroups = new Map<string, string>(
    liveNodes.map((node) => [node.id(), String(node.data("group") ?? "")]),
  );
  for (const node of newNodes) {
    const point = remembered.get(node.data.id);
    if (point) {
      placed.set(node.data.id, point);
      if (node.group === "nodes") placedGroups.set(node.data.id, node.data.group);
    }
  }
  const edgeEnds = cy
    .edges()
    .map((edge) => ({ source: edge.source().id(), target: edge.target().id() }))
    .concat(
      added.flatMap((e) => (e.group === "edges" ? [{ source: e.data.source, target: e.data.target }] : [])),
    );
  const positions = placeByGroup(
    placed,
    placedGroups,
    newNodes.map((node) => ({ id: node.data.id, group: node.group === "nodes" ? node.data.group : "" })),
    edgeEnds,
  );
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
