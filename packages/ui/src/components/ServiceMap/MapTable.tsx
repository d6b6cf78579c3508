"use client";

import { useState } from "react";
import { formatLatency } from "../../format/formatLatency";
import { type ColorMode, toneOf } from "../../serviceMap/colorScale";
import type { FilteredMap } from "../../serviceMap/mapFilters";
import type { ModelEdge, ModelNode } from "../../serviceMap/mapModel";
import { formatErrorPercent, formatRate } from "../../serviceMap/mapView";
import { nextSort, type SortState, sortRows } from "../../serviceMap/sortRows";
import type { MapSelection } from "./useCytoscapeGraph";

interface Column<T, K extends string> {
  key: K;
  label: string;
  numeric: boolean;
  value: (row: T) => string | number;
  render?: (row: T) => string;
}

type NodeKey = "name" | "namespace" | "kind" | "rate" | "errors" | "p99";
type EdgeKey = "source" | "target" | "protocols" | "rate" | "errors" | "p50" | "p99";

const NODE_COLUMNS: Column<ModelNode, NodeKey>[] = [
  { key: "name", label: "Service", numeric: false, value: (n) => n.label },
  { key: "namespace", label: "Namespace", numeric: false, value: (n) => n.namespace },
  { key: "kind", label: "Kind", numeric: false, value: (n) => n.kind },
  { key: "rate", label: "Rate", numeric: true, value: (n) => n.rate, render: (n) => formatRate(n.rate) },
  {
    key: "errors",
    label: "Errors",
    numeric: true,
    value: (n) => n.errorRatio,
    render: (n) => formatErrorPercent(n.errorRatio),
  },
  {
    key: "p99",
    label: "p99 in",
    numeric: true,
    value: (n) => n.p99Ms,
    render: (n) => formatLatency(n.p99Ms),
  },
];

const EDGE_COLUMNS: Column<ModelEdge, EdgeKey>[] = [
  { key: "source", label: "From", numeric: false, value: (e) => e.source },
  { key: "target", label: "To", numeric: false, value: (e) => e.target },
  { key: "protocols", label: "Protocols", numeric: false, value: (e) => e.protocols.join(", ") },
  { key: "rate", label: "Rate", numeric: true, value: (e) => e.rate, render: (e) => formatRate(e.rate) },
  {
    key: "errors",
    label: "Errors",
    numeric: true,
    value: (e) => e.errorRatio,
    render: (e) => formatErrorPercent(e.errorRatio),
  },
  { key: "p50", label: "p50", numeric: true, value: (e) => e.p50Ms, render: (e) => formatLatency(e.p50Ms) },
  { key: "p99", label: "p99", numeric: true, value: (e) => e.p99Ms, render: (e) => formatLatency(e.p99Ms) },
];

interface MapTableProps {
  map: FilteredMap;
  colorMode: ColorMode;
  onSelect: (selection: MapSelection) => void;
}

/** The map's nodes and edges as tables: for keyboard and screen-reader users, and maps too big to draw. */
export function MapTable({ map, colorMode, onSelect }: MapTableProps) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard (WCAG 2.1.1; axe scrollable-region-focusable)
    <section className="map-table" data-testid="map-table" tabIndex={0} aria-label="Services and calls">
      <SortableTable
        caption={`Services (${map.nodes.length})`}
        rows={map.nodes}
        columns={NODE_COLUMNS}
        initial={{ key: "rate", direction: "descending" }}
        tone={(n) => toneOf(colorMode, n)}
        open={(n) => onSelect({ kind: "node", id: n.id })}
        openLabel={(n) => `Open ${n.label}`}
        testId="map-table-nodes"
      />
      <SortableTable
        caption={`Calls (${map.edges.length})`}
        rows={map.edges}
        columns={EDGE_COLUMNS}
        initial={{ key: "rate", direction: "descending" }}
        tone={(e) => toneOf(colorMode, e)}
        open={(e) => onSelect({ kind: "edge", id: e.id })}
        openLabel={(e) => `Open calls from ${e.source} to ${e.target}`}
        testId="map-table-edges"
      />
    </section>
  );
}

interface SortableTableProps<T extends { id: string }, K extends string> {
  caption: string;
  rows: readonly T[];
  columns: Column<T, K>[];
  initial: SortState<K>;
  tone: (row: T) => string;
  open: (row: T) => void;
  openLabel: (row: T) => string;
  testId: string;
}

function SortableTable<T extends { id: string }, K extends string>(props: SortableTableProps<T, K>) {
  const { caption, rows, columns, initial, tone, open, openLabel, testId } = props;
  const [sort, setSort] = useState<SortState<K>>(initial);
  const sorted = sortRows(rows, sort, (row, key) => {
    const column = columns.find((c) => c.key === key);
    return column ? column.value(row) : "";
  });
  return (
    <table className="map-table__table" data-testid={testId}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <th
              key={column.key}
              scope="col"
              aria-sort={sort.key === column.key ? sort.direction : "none"}
              className={column.numeric ? "map-table__numeric" : undefined}
            >
              <button type="button" onClick={() => setSort(nextSort(sort, column.key, column.numeric))}>
                {column.label}
                <span aria-hidden="true">
                  {sort.key === column.key ? (sort.direction === "ascending" ? " ▲" : " ▼") : ""}
                </span>
              </button>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {sorted.map((row) => (
          <tr key={row.id} data-tone={tone(row)} data-testid={`${testId}-row`}>
            {columns.map((column, index) => {
              const text = column.render ? column.render(row) : String(column.value(row));
              if (index === 0) {
                return (
                  <th key={column.key} scope="row">
                    <span className="map-table__tone" aria-hidden="true" />
                    <button
                      type="button"
                      className="map-table__open"
                      aria-label={openLabel(row)}
                      onClick={() => open(row)}
                    >
                      {text}
                    </button>
                  </th>
                );
              }
              return (
                <td key={column.key} className={column.numeric ? "map-table__numeric" : undefined}>
                  {text}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
