"use client";

// The requests explorer: filter bar → metric counts and latency heatmap → the
// matching requests, one API page at a time → a request's detail in a drawer.
// Every bit of state is in the URL (frame keys via useFrame, the rest via
// requests/requestFilters.ts), so a link or Back restores the exact view.
import { useCallback, useEffect, useMemo, useState } from "react";
import { useFrame } from "../../frame/useFrame";
import { describeScope, heatmapQueries, sliceText } from "../../requests/heatmapScope";
import { buildHeatmap, type HeatmapSelection } from "../../requests/latencyHeatmap";
import { parseRedCounts, parseServiceTotals } from "../../requests/parseRequestsApi";
import {
  activeFilterCount,
  DEFAULT_FILTERS,
  readFilters,
  requestsApiParams,
  writeFilters,
} from "../../requests/requestFilters";
import type { RequestView } from "../../requests/requestTypes";
import { ApiErrorBanner } from "../ApiErrorBanner/ApiErrorBanner";
import { RequestDetailDrawer } from "../RequestDetail/RequestDetailDrawer";
import { ExportButtons } from "./ExportButtons";
import { FilterBar, type FilterValues } from "./FilterBar";
import { LatencyHeatmap } from "./LatencyHeatmap";
import { SamplingBanner } from "./SamplingBanner";
import { useApiJson } from "./useApiJson";
import { useHeatmapCounts } from "./useHeatmapCounts";
import { useRequestPages } from "./useRequestPages";
import { VirtualRequestList } from "./VirtualRequestList";
import "../RequestTable/RequestTable.css";
import "./RequestExplorer.css";

const PAGE_SIZE = 200;

const FILTER_KEYS = Object.keys(DEFAULT_FILTERS) as (keyof typeof DEFAULT_FILTERS)[];

export function RequestExplorer() {
  const frame = useFrame();
  const filters = useMemo(() => readFilters(frame.params), [frame.params]);
  const frameFilters = {
    from: frame.from,
    to: frame.to,
    namespace: frame.state.namespace,
    service: frame.state.service,
  };
  const listQuery = requestsApiParams(frameFilters, filters, { limit: PAGE_SIZE }).toString();
  // What the list asks for apart from the clock: a live tick must not throw away
  // pages the user scrolled to, but a new filter must.
  const filterKey = requestsApiParams({ ...frameFilters, from: new Date(0), to: new Date(1) }, filters, {
    limit: PAGE_SIZE,
  }).toString();
  const [anchor, setAnchor] = useState<{ key: string; query: string } | undefined>(undefined);
  const pages = useRequestPages(anchor?.query);
  const firstPageOnly = pages.rows.length <= PAGE_SIZE;
  useEffect(() => {
    setAnchor((current) =>
      current === undefined || current.key !== filterKey || firstPageOnly
        ? { key: filterKey, query: listQuery }
        : current,
    );
  }, [filterKey, listQuery, firstPageOnly]);

  const heatmapScope = heatmapQueries(frameFilters, filters);
  const heatmap = useHeatmapCounts(heatmapScope.queries.map(String));
  const range = `from=${frame.from.getTime()}&to=${frame.to.getTime()}`;
  const namesRange = `from=${Math.floor(frame.from.getTime() / 60_000) * 60_000}&to=${Math.ceil(frame.to.getTime() / 60_000) * 60_000}`;
  const service = frame.state.service;
  const red = useApiJson(
    service ? `/api/v1/red?service=${encodeURIComponent(service)}&${range}` : undefined,
    parseRedCounts,
  );
  const totals = useApiJson(
    service
      ? undefined
      : `/api/v1/services?${range}${frame.state.namespace ? `&namespace=${frame.state.namespace}` : ""}`,
    parseServiceTotals,
  );

  const grid = useMemo(() => (heatmap.body ? buildHeatmap(heatmap.body) : undefined), [heatmap.body]);
  const exact = red.data
    ? {
        requests: red.data.points.reduce((sum, p) => sum + p.requests, 0),
        errors: red.data.points.reduce((sum, p) => sum + p.errors, 0),
        scope: service ?? "",
      }
    : totals.data
      ? {
          ...totals.data,
          scope: frame.state.namespace ? `namespace ${frame.state.namespace}` : "all services",
        }
      : undefined;

  const apply = useCallback(
    (values: FilterValues) => {
      const { service: nextService, namespace: nextNamespace, ...rest } = values;
      const written = writeFilters(new URLSearchParams(), rest);
      const patch: Record<string, string | undefined> = {
        service: nextService || undefined,
        namespace: nextNamespace || undefined,
      };
      for (const key of FILTER_KEYS) patch[key] = written.get(key) ?? undefined;
      frame.setParams(patch);
    },
    [frame],
  );
  const select = (selection: HeatmapSelection) =>
    frame.setParams({
      selFrom: String(selection.fromMs),
      selTo: String(selection.toMs),
      minDurationMs: selection.minDurationMs || undefined,
      maxDurationMs: selection.maxDurationMs || undefined,
    });
  const clearSelection = () =>
    frame.setParams({
      selFrom: undefined,
      selTo: undefined,
      minDurationMs: undefined,
      maxDurationMs: undefined,
    });
  const open = useCallback((request: RequestView) => frame.setParams({ request: request.id }), [frame]);
  const close = useCallback(() => frame.setParams({ request: undefined }), [frame]);

  const values: FilterValues = { ...filters, service: service ?? "", namespace: frame.state.namespace ?? "" };
  const errors = [pages.error, heatmap.error].filter((e): e is string => e !== undefined);
  const hasSelection = filters.selFrom > 0;
  return (
    <main className="request-explorer">
      <header className="request-explorer__title">
        <h1>Requests</h1>
        <span className="muted">
          {filterCountText(activeFilterCount(filters) + (service ? 1 : 0) + (frame.state.namespace ? 1 : 0))}
        </span>
      </header>
      <FilterBar values={values} rangeQuery={namesRange} onApply={apply} />
      <ApiErrorBanner errors={errors} showingStaleData={pages.rows.length > 0} />
      <SamplingBanner sampling={pages.sampling} exact={exact} />
      <section className="card request-explorer__heatmap" aria-labelledby="heatmap-title">
        <header className="card__header">
          <h2 id="heatmap-title" className="card__title">
            Latency
          </h2>
          <span className="card__meta">
            {grid
              ? `${grid.requests.toLocaleString("en")} requests, ${grid.errors.toLocaleString("en")} errors · colour: requests per cell (log scale) · red marks: slices with errors · drag or use arrow keys to select`
              : "Loading…"}
          </span>
          {hasSelection ? (
            <button type="button" className="button" onClick={clearSelection} data-testid="clear-selection">
              Clear selection
            </button>
          ) : null}
        </header>
        {heatmap.body ? (
          <p className="muted latency-heatmap__source" data-testid="heatmap-source">
            Exact counts from the metric series (every request, not the sampled records) of{" "}
            {describeScope(heatmapScope.scope, heatmap.body.observedFrom)},{" "}
            {`${sliceText(heatmap.body.stepSeconds)} slices.`}
            {heatmapScope.unapplied.length > 0
              ? ` Not narrowed by ${heatmapScope.unapplied.join(", ")}: the series are kept per service and edge; the list below is.`
              : ""}
          </p>
        ) : null}
        {!grid ? (
          <p className="request-explorer__empty">
            {heatmap.error ? "Heatmap unavailable." : "Loading heatmap…"}
          </p>
        ) : grid.requests === 0 ? (
          <p className="request-explorer__empty" data-testid="heatmap-empty">
            No requests in this range for this scope.
          </p>
        ) : (
          <div data-testid="heatmap-drawn" data-paths={heatmap.paths.join(" ")}>
            <LatencyHeatmap
              grid={grid}
              selection={
                hasSelection
                  ? {
                      fromMs: filters.selFrom,
                      toMs: filters.selTo,
                      minDurationMs: Number(filters.minDurationMs || 0),
                      maxDurationMs:
                        filters.maxDurationMs === ""
                          ? Number.POSITIVE_INFINITY
                          : Number(filters.maxDurationMs),
                    }
                  : undefined
              }
              onSelect={select}
            />
          </div>
        )}
      </section>
      <section className="card request-explorer__list" aria-labelledby="request-list-title">
        <header className="card__header">
          <h2 id="request-list-title" className="card__title">
            {hasSelection ? "Requests in the selection" : "Requests"}
          </h2>
          <span className="card__meta" data-testid="request-list-count">
            {pages.loaded
              ? `${pages.rows.length.toLocaleString("en")} loaded${pages.hasMore ? ", more on scroll" : ""}`
              : ""}
          </span>
          <ExportButtons
            rows={pages.rows}
            query={Object.fromEntries(new URLSearchParams(anchor?.query ?? ""))}
          />
        </header>
        {!pages.loaded ? (
          <p className="request-explorer__empty">Loading requests…</p>
        ) : pages.rows.length === 0 && !pages.error ? (
          <p className="request-explorer__empty" data-testid="request-list-empty">
            No requests match. Widen the time range or clear a filter.
          </p>
        ) : (
          <VirtualRequestList
            rows={pages.rows}
            hasMore={pages.hasMore}
            loading={pages.loading}
            selectedId={filters.request}
            rowsQuery={pages.rowsQuery}
            stale={pages.rowsQuery !== anchor?.query}
            onOpen={open}
            onNeedMore={pages.loadMore}
          />
        )}
      </section>
      {filters.request ? <RequestDetailDrawer id={filters.request} onClose={close} /> : null}
    </main>
  );
}

function filterCountText(count: number): string {
  return count === 0 ? "no filters" : count === 1 ? "1 filter" : `${count} filters`;
}
