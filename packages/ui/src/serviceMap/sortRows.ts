// Sorting for the map's table view: numbers numerically, text by locale, a stable
// tie-break on the id so rows do not shuffle between polls.

export type SortDirection = "ascending" | "descending";

export interface SortState<K extends string> {
  key: K;
  direction: SortDirection;
}

export function sortRows<T extends { id: string }, K extends string>(
  rows: readonly T[],
  sort: SortState<K>,
  readValue: (row: T, key: K) => string | number,
): T[] {
  const sign = sort.direction === "ascending" ? 1 : -1;
  return [...rows].sort((a, b) => {
    const left = readValue(a, sort.key);
    const right = readValue(b, sort.key);
    const order =
      typeof left === "number" && typeof right === "number"
        ? left - right
        : String(left).localeCompare(String(right));
    return order !== 0 ? sign * order : a.id.localeCompare(b.id);
  });
}

/** Clicking the sorted column flips it; another column starts descending for figures, ascending for names. */
export function nextSort<K extends string>(current: SortState<K>, key: K, numeric: boolean): SortState<K> {
  if (current.key === key) {
    return { key, direction: current.direction === "ascending" ? "descending" : "ascending" };
  }
  return { key, direction: numeric ? "descending" : "ascending" };
}
