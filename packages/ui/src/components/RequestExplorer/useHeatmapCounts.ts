"use client";

// The heatmap's exact counts: GET /api/v1/heatmap once per query (an edge is asked
// both ways) and the answers added up. The last answer stays on screen while a live
// tick's next one loads, as the explorer's other panels do.
import { useEffect, useState } from "react";
import { fetchApi } from "../../api/fetchApi";
import { type HeatmapBody, mergeHeatmaps, parseHeatmap } from "../../requests/heatmapScope";

export interface HeatmapCounts {
  body: HeatmapBody | undefined;
  /** The API paths the body was drawn from (tests re-ask them to check the drawing). */
  paths: string[];
  loading: boolean;
  error: string | undefined;
}

export function useHeatmapCounts(queries: readonly string[]): HeatmapCounts {
  const key = queries.join("\n");
  const [state, setState] = useState<HeatmapCounts>({
    body: undefined,
    paths: [],
    loading: true,
    error: undefined,
  });
  useEffect(() => {
    const controller = new AbortController();
    const paths = key.split("\n").map((query) => `/api/v1/heatmap?${query}`);
    setState((s) => ({ ...s, loading: true }));
    Promise.all(paths.map((path) => fetchApi(path, parseHeatmap, controller.signal))).then(
      (results) => {
        const failed = results.find((r) => !r.ok);
        if (failed && !failed.ok) {
          setState((s) => ({ ...s, loading: false, error: failed.message }));
          return;
        }
        setState({
          body: mergeHeatmaps(results.flatMap((r) => (r.ok ? [r.value] : []))),
          paths,
          loading: false,
          error: undefined,
        });
      },
      () => {
        // Aborted: a newer range or filter took over.
      },
    );
    return () => controller.abort();
  }, [key]);
  return state;
}
