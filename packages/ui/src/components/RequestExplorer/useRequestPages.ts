"use client";

// The request list, one API page at a time: the first page when the query changes,
// the next (by the API's cursor) when the table scrolls near the end of what is loaded.
import { useCallback, useEffect, useRef, useState } from "react";
import { fetchApi } from "../../api/fetchApi";
import { parseRequestsPage } from "../../requests/parseRequestsApi";
import type { PageSampling, RequestView } from "../../requests/requestTypes";

export interface RequestPagesState {
  rows: RequestView[];
  /** The first page's sampling account (the one the banner describes). */
  sampling: PageSampling | undefined;
  /** Estimated requests summed over every loaded page. */
  estimatedRequests: number;
  hasMore: boolean;
  loading: boolean;
  error: string | undefined;
  /** True once the first page of the current query has answered. */
  loaded: boolean;
  /** The query the rows answer (they stay on screen while a newer query loads). */
  rowsQuery: string | undefined;
}

const EMPTY: RequestPagesState = {
  rows: [],
  sampling: undefined,
  estimatedRequests: 0,
  hasMore: false,
  loading: false,
  error: undefined,
  loaded: false,
  rowsQuery: undefined,
};

/** `query` is the API query string without the cursor; undefined waits. */
export function useRequestPages(query: string | undefined): RequestPagesState & { loadMore(): void } {
  const [state, setState] = useState<RequestPagesState>(EMPTY);
  const cursor = useRef<string | null>(null);
  const inFlight = useRef<AbortController | undefined>(undefined);

  const load = useCallback((q: string, after: string | null) => {
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    setState((s) => ({ ...s, loading: true }));
    const url = `/api/v1/requests?${q}${after ? `&cursor=${encodeURIComponent(after)}` : ""}`;
    fetchApi(url, parseRequestsPage, controller.signal).then(
      (result) => {
        if (!result.ok) {
          setState((s) => ({ ...s, loading: false, loaded: true, error: result.message }));
          return;
        }
        const page = result.value;
        cursor.current = page.nextCursor;
        setState((s) => ({
          rows: after ? [...s.rows, ...page.requests] : page.requests,
          sampling: after ? s.sampling : page.sampling,
          estimatedRequests: (after ? s.estimatedRequests : 0) + page.sampling.estimatedRequests,
          hasMore: page.nextCursor !== null,
          loading: false,
          error: undefined,
          loaded: true,
          rowsQuery: q,
        }));
      },
      () => {
        // Aborted by a newer query.
      },
    );
  }, []);

  useEffect(() => {
    if (query === undefined) return;
    cursor.current = null;
    load(query, null);
    return () => inFlight.current?.abort();
  }, [query, load]);

  const loadMore = useCallback(() => {
    if (query === undefined || cursor.current === null || inFlight.current === undefined) return;
    if (!inFlight.current.signal.aborted && state.loading) return;
    load(query, cursor.current);
  }, [query, load, state.loading]);

  return { ...state, loadMore };
}
