import type { Core, ElementDefinition } from "cytoscape";
import type { ElementDiff } from "./diffElements";
import { type Point, placeNewNodes } from "./placeNewNodes";

export interface ApplyOutcome {
  /** Ids of nodes that were added (and so were laid out). */
  placedNodeIds: string[];
}

/**
 * Applies a diff to a live Cytoscape instance. Existing nodes keep their positions;
 * only added nodes are laid out (placeNewNodes), the same way whether the map was
 * empty or not, so a map that fills in over several polls looks like one drawn at once.
 */
export function applyElementDiff(cy: Core, diff: ElementDiff): ApplyOutcome {
  cy.batch(() => {
    for (const id of diff.remove) cy.getElementById(id).remove();
    for (const element of diff.update) cy.getElementById(element.data.id).data(element.data);
  });

  const newNodes = diff.add.filter((element) => element.group === "nodes");
  const placed = new Map<string, Point>(cy.nodes().map((node) => [node.id(), { ...node.position() }]));
  const edgeEnds = cy
    .edges()
    .map((edge) => ({ source: edge.source().id(), target: edge.target().id() }))
    .concat(
      diff.add.flatMap((e) =>
        e.group === "edges" ? [{ source: e.data.source, target: e.data.target }] : [],
      ),
    );
  const positions = placeNewNodes(
    placed,
    newNodes.map((node) => node.data.id),
    edgeEnds,
  );

  cy.batch(() => {
    cy.add(
      diff.add.map((element): ElementDefinition => {
        const position = positions.get(element.data.id);
        return { group: element.group, data: element.data, ...(position ? { position } : {}) };
      }),
    );
  });

  return { placedNodeIds: newNodes.map((node) => node.data.id) };
}
