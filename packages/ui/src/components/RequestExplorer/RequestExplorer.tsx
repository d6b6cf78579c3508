"use client";

// The requests explorer: filter bar → metric counts and latency heatmap → the
// matching requests, one API page at a time → a request's detail in a drawer.
// Every bit of state is in the URL (frame keys via useFrame, the rest via
// requests/requestFilters.ts), so a link or Back restores the exact view.
import { useCallback, useEffect, useMemo, useState } from "react";
import { useFrame } from "../../frame/useFrame";
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
import { type CountBucket, LatencyHeatmap } from "./LatencyHeatmap";
import { SamplingBanner } from "./SamplingBanner";
import { useApiJson } from "./useApiJson";
import { useHeatmapRecords } from "./useHeatmapRecords";
import { useRequestPages } from "./useRequestPages";
import { VirtualRequestList } from "./VirtualRequestList";
import "../RequestTable/RequestTable.css";
import "./RequestExplorer.css";

const PAGE_SIZE = 200;
/** Columns of the heatmap, each one API page of at most HEATMAP_PAGE records. */
const HEATMAP_COLUMNS = 30;
const HEATMAP_PAGE = 100;

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

  const heatmapQuery = requestsApiParams(frameFilters, filters, {
    limit: HEATMAP_PAGE,
    forHeatmap: true,
  }).toString();
  const heatmap = useHeatmapRecords(
    heatmapQuery,
    frame.from.getTime(),
    frame.to.getTime(),
    HEATMAP_COLUMNS,
    HEATMAP_PAGE,
  );
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

  const grid = useMemo(
    () =>
      buildHeatmap(
        (heatmap.records ?? []).map((r) => ({
          timeMs: Date.parse(r.time),
          durationMs: r.durationMs,
          error: r.error,
          sampleWeight: r.sampleWeight,
        })),
        { fromMs: frame.from.getTime(), toMs: frame.to.getTime() },
        HEATMAP_COLUMNS,
      ),
    [heatmap.records, frame.from, frame.to],
  );
  const counts: CountBucket[] | undefined = red.data?.points.map((p) => ({
    timeMs: Date.parse(p.time),
    stepMs: red.data ? red.data.stepSeconds * 1000 : 60_000,
    requests: p.requests,
    errors: p.errors,
  }));
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
            {heatmap.records
              ? `${heatmap.records.length.toLocaleString("en")} records, ${HEATMAP_PAGE} at most per column${heatmap.sampledSlices > 0 ? ` (${heatmap.sampledSlices} columns sampled)` : ""} · colour: each column's share · red outline: errors · drag or use arrow keys to select`
              : "Loading…"}
          </span>
          {hasSelection ? (
            <button type="button" className="button" onClick={clearSelection} data-testid="clear-selection">
              Clear selection
            </button>
          ) : null}
        </header>
        {heatmap.records && heatmap.records.length === 0 ? (
          <p className="request-explorer__empty">No requests in this range for these filters.</p>
        ) : (
          <LatencyHeatmap
            grid={grid}
            counts={counts}
            selection={
              hasSelection
                ? {
                    fromMs: filters.selFrom,
                    toMs: filters.selTo,
                    minDurationMs: Number(filters.minDurationMs || 0),
                    maxDurationMs:
                      filters.maxDurationMs === "" ? Number.POSITIVE_INFINITY : Number(filters.maxDurationMs),
                  }
                : undefined
            }
            onSelect={select}
          />
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
