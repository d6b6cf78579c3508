import type { Core, ElementDefinition } from "cytoscape";
import type { ElementDiff } from "./diffElements";
import { type Point, placeNewNodes } from "./placeNewNodes";

export interface ApplyOutcome {
  /** Ids of nodes that were added (and so were laid out). */
  placedNodeIds: string[];
}

/**
 * Applies a diff to a live Cytoscape instance. Existing nodes keep their positions:
 * only added nodes are positioned — by a breadth-first layout when the map was empty,
 * otherwise next to their neighbours (placeNewNodes).
 */
export function applyElementDiff(cy: Core, diff: ElementDiff): ApplyOutcome {
  const wasEmpty = cy.nodes().length === 0;
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
  const positions = wasEmpty
    ? new Map<string, Point>()
    : placeNewNodes(
        placed,
        newNodes.map((node) => node.data.id),
        edgeEnds,
      );

  cy.batch(() => {
    cy.add(
      diff.add.map((element): ElementDefinition => {
        const position = positions.get(element.data.id);
        return position ? { group: element.group, data: element.data, position } : { ...element };
      }),
    );
  });

  if (wasEmpty && newNodes.length > 0) {
    cy.layout({
      name: "breadthfirst",
      directed: true,
      spacingFactor: 1.1,
      padding: 40,
      animate: false,
    }).run();
  }
  return { placedNodeIds: newNodes.map((node) => node.data.id) };
}
