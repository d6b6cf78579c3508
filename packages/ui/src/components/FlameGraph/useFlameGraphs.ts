"use client";

// Fetches the flame graphs a plan names (one per scope) and joins them into one
// tree. The last good tree stays on screen while a refresh (a live range moving
// on) is in flight, so the picture does not blank every few seconds.
import { useEffect, useState } from "react";
import { fetchApi } from "../../api/fetchApi";
import type { FlameRequest } from "../../flamegraph/flameRequests";
import { buildFlameTree, type FlameTree, parseFlameGraph } from "../../flamegraph/flameTree";
import { joinScopedGraphs } from "../../flamegraph/scopes";

export interface FlameGraphsState {
  tree: FlameTree | undefined;
  /** The collector folded small subtrees in at least one graph. */
  truncated: boolean;
  loading: boolean;
  error: string | undefined;
}

const IDLE: FlameGraphsState = { tree: undefined, truncated: false, loading: false, error: undefined };
/** Nothing to ask for (no services in the range): one empty graph, the same object every render. */
const NOTHING: FlameGraphsState = { ...IDLE, tree: joinScopedGraphs([]) };

export function useFlameGraphs(requests: readonly FlameRequest[] | undefined): FlameGraphsState {
  const [state, setState] = useState<FlameGraphsState>({ ...IDLE, loading: true });
  // The URLs are the identity of a plan; a new array with the same URLs must not refetch.
  const key = requests === undefined ? undefined : JSON.stringify(requests);

  useEffect(() => {
    if (key === undefined) {
      setState((previous) => ({ ...previous, loading: true }));
      return;
    }
    const plan = JSON.parse(key) as FlameRequest[];
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    Promise.all(plan.map((request) => fetchApi(request.url, parseFlameGraph, controller.signal)))
      .then((results) => {
        const failed = results.find((result) => !result.ok);
        if (failed && !failed.ok) {
          setState((previous) => ({ ...previous, loading: false, error: failed.message }));
          return;
        }
        const graphs = results.flatMap((result, k) =>
          result.ok ? [{ scopes: (plan[k] as FlameRequest).scopes, data: result.value }] : [],
        );
        const tree =
          graphs.length === 1 && (graphs[0]?.scopes.length ?? 0) === 0
            ? buildFlameTree(graphs[0]?.data as Parameters<typeof buildFlameTree>[0])
            : joinScopedGraphs(
                graphs.map((graph) => ({ scopes: graph.scopes, tree: buildFlameTree(graph.data) })),
              );
        setState({
          tree,
          truncated: graphs.some((graph) => graph.data.truncated),
          loading: false,
          error: undefined,
        });
      })
      .catch(() => {
        // Aborted: a newer plan replaced this one.
      });
    return () => controller.abort();
  }, [key]);

  return requests !== undefined && requests.length === 0 ? NOTHING : state;
}
