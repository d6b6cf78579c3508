import type { SortState } from "./sortRows";

interface SortableHeaderProps<K extends string> {
  label: string;
  column: K;
  sort: SortState<K>;
  onSort: (column: K) => void;
  numeric?: boolean;
}

/** A column header that sorts on click or Enter, announcing its order through aria-sort. */
export function SortableHeader<K extends string>({
  label,
  column,
  sort,
  onSort,
  numeric,
}: SortableHeaderProps<K>) {
  const active = sort.key === column;
  const ariaSort = active ? (sort.direction === "asc" ? "ascending" : "descending") : "none";
  return (
    <th scope="col" aria-sort={ariaSort} className={numeric ? "svc-num" : undefined}>
      <button type="button" className="svc-sort" onClick={() => onSort(column)} data-column={column}>
        {label}
        <span aria-hidden="true" className="svc-sort__mark">
          {active ? (sort.direction === "asc" ? "▲" : "▼") : ""}
        </span>
      </button>
    </th>
  );
}
