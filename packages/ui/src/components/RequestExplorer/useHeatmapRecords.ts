"use client";

// The heatmap's records: one API page per column's time slice, fetched together,
// so every column is drawn from its own requests (a single newest-first page would
// hold only the last seconds of a busy range).
import { useEffect, useState } from "react";
import { fetchApi } from "../../api/fetchApi";
import { heatmapSlices } from "../../requests/latencyHeatmap";
import { parseRequestsPage } from "../../requests/parseRequestsApi";
import type { RequestView } from "../../requests/requestTypes";

export interface HeatmapRecords {
  records: RequestView[] | undefined;
  /** Slices with more records than one page: drawn from a sample of their requests. */
  sampledSlices: number;
  loading: boolean;
  error: string | undefined;
}

/** `baseQuery` is the API query for the whole frame; each slice overrides from, to and limit. */
export function useHeatmapRecords(
  baseQuery: string,
  fromMs: number,
  toMs: number,
  columns: number,
  perSlice: number,
): HeatmapRecords {
  const [state, setState] = useState<HeatmapRecords>({
    records: undefined,
    sampledSlices: 0,
    loading: true,
    error: undefined,
  });
  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    const urls = heatmapSlices(fromMs, toMs, columns).map((slice) => {
      const params = new URLSearchParams(baseQuery);
      params.set("from", String(slice.fromMs));
      params.set("to", String(Math.max(slice.toMs, slice.fromMs + 1)));
      params.set("limit", String(perSlice));
      return `/api/v1/requests?${params}`;
    });
    Promise.all(urls.map((url) => fetchApi(url, parseRequestsPage, controller.signal))).then(
      (results) => {
        const failed = results.find((r) => !r.ok);
        if (failed && !failed.ok) {
          setState((s) => ({ ...s, loading: false, error: failed.message }));
          return;
        }
        const pages = results.flatMap((r) => (r.ok ? [r.value] : []));
        setState({
          records: pages.flatMap((p) => p.requests),
          sampledSlices: pages.filter((p) => p.nextCursor !== null).length,
          loading: false,
          error: undefined,
        });
      },
      () => {
        // Aborted: a newer range or filter took over.
      },
    );
    return () => controller.abort();
  }, [baseQuery, fromMs, toMs, columns, perSlice]);
  return state;
}
