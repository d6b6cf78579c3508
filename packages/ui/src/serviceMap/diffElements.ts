import { DRAWN_FIELDS, type GraphElement } from "./elements";

export interface ElementDiff {
  /** New elements, nodes before edges so that every edge's ends already exist. */
  add: GraphElement[];
  /** Elements whose drawn data changed (DRAWN_FIELDS); their positions are kept. */
  update: GraphElement[];
  /** Elements whose data changed only in fields nothing draws (figures for panels and tests). */
  refresh: GraphElement[];
  /** Ids that vanished, edges before nodes. */
  remove: string[];
}

/** What must change to turn the `previous` elements into the `next` ones. */
export function diffElements(previous: readonly GraphElement[], next: readonly GraphElement[]): ElementDiff {
  const previousById = new Map(previous.map((element) => [element.data.id, element]));
  const nextIds = new Set(next.map((element) => element.data.id));
  const add: GraphElement[] = [];
  const update: GraphElement[] = [];
  const refresh: GraphElement[] = [];
  for (const element of next) {
    const before = previousById.get(element.data.id);
    if (!before || before.group !== element.group) add.push(element);
    else if (!sameData(before.data, element.data)) {
      (sameDrawnData(before.data, element.data) ? refresh : update).push(element);
    }
  }
  const regrouped = add.filter((element) => previousById.has(element.data.id)).map((e) => e.data.id);
  const vanished = previous.filter((element) => !nextIds.has(element.data.id)).map((e) => e.data.id);
  return {
    add: nodesFirst(add),
    update,
    refresh,
    remove: [...new Set([...edgesFirst(previous, vanished), ...regrouped])],
  };
}

function sameData(a: object, b: object): boolean {
  const aEntries = Object.entries(a);
  if (aEntries.length !== Object.keys(b).length) return false;
  return aEntries.every(([key, value]) => Object.is(value, (b as Record<string, unknown>)[key]));
}

function sameDrawnData(a: object, b: object): boolean {
  for (const key of DRAWN_FIELDS) {
    if (!Object.is((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}

function nodesFirst(elements: GraphElement[]): GraphElement[] {
  return [...elements.filter((e) => e.group === "nodes"), ...elements.filter((e) => e.group === "edges")];
}

function edgesFirst(previous: readonly GraphElement[], ids: string[]): string[] {
  const groupOf = new Map(previous.map((element) => [element.data.id, element.group]));
  return [
    ...ids.filter((id) => groupOf.get(id) === "edges"),
    ...ids.filter((id) => groupOf.get(id) === "nodes"),
  ];
}
