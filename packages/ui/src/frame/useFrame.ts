"use client";

// The frame as React state whose single source is the URL: setters push a new
// history entry through the Next router, so Back and Forward restore the view and a
// reload or a copied address opens the same one. A component using this hook must
// sit under a <Suspense> boundary (Next's rule for useSearchParams in prerendered pages).
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useState } from "react";
import { type BrushSpan, brushToRange } from "./brushZoom";
import { type FrameState, frameApiParams, frameOnly, parseFrame, writeFrame } from "./frameUrl";
import { type PendingQuery, visibleQuery } from "./pendingQuery";
import { isLive, liveTickMs, resolveRange, type TimeRange } from "./timeRange";
import { toQueryString } from "./viewParams";

export interface NavigateOptions {
  /** "push" (default) adds a history entry; "replace" rewrites the current one. */
  history?: "push" | "replace";
}

export interface Frame {
  state: FrameState;
  /** The range resolved now; in relative mode these move with the clock (see liveTickMs). */
  from: Date;
  to: Date;
  /** True in relative mode: the view follows the clock and live updates. */
  live: boolean;
  setRange(range: TimeRange, options?: NavigateOptions): void;
  setNamespace(namespace: string | undefined, options?: NavigateOptions): void;
  setService(service: string | undefined, options?: NavigateOptions): void;
  /** Zooms to the span dragged across a chart; a click-sized drag does nothing. Returns whether it zoomed. */
  zoomToBrush(span: BrushSpan): boolean;
  /**
   * Writes a view's own parameters (already reduced to non-defaults, e.g. by writeParams);
   * undefined removes a key. The frame's keys are kept.
   */
  setParams(patch: Record<string, string | undefined>, options?: NavigateOptions): void;
  /** from, to (ISO), namespace, service: the query a collector API call takes. */
  apiParams: URLSearchParams;
  /** `pathname` with the frame's parameters (not the current view's): for nav links. */
  hrefWithFrame(pathname: string): string;
  /** The current URL's parameters (read-only copy). */
  params: URLSearchParams;
}

export function useFrame(): Frame {
  const router = useRouter();
  const pathname = usePathname();
  const routerQuery = useSearchParams().toString();
  // The last setter's query, shown at once (pendingQuery.ts says why).
  const [pending, setPending] = useState<PendingQuery | undefined>();
  const query = visibleQuery(pending, routerQuery);
  // Forget it once the router moves, or a later Back to `base` would show it again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each change of the router's query
  useEffect(() => setPending(undefined), [routerQuery]);
  const params = useMemo(() => new URLSearchParams(query), [query]);
  const state = useMemo(() => parseFrame(params), [params]);
  const now = useLiveClock(state.range);
  const { from, to } = useMemo(() => resolveRange(state.range, now), [state.range, now]);

  const navigate = useCallback(
    (next: URLSearchParams, options?: NavigateOptions) => {
      setPending({ base: routerQuery, next: next.toString() });
      const url = `${pathname}${toQueryString(next)}`;
      if (options?.history === "replace") router.replace(url, { scroll: false });
      else router.push(url, { scroll: false });
    },
    [router, pathname, routerQuery],
  );

  const update = useCallback(
    (patch: Partial<FrameState>, options?: NavigateOptions) => navigate(writeFrame(params, patch), options),
    [navigate, params],
  );

  return useMemo<Frame>(
    () => ({
      state,
      from,
      to,
      live: isLive(state.range),
      setRange: (range, options) => update({ range }, options),
      setNamespace: (namespace, options) => update({ namespace }, options),
      setService: (service, options) => update({ service }, options),
      zoomToBrush: (span) => {
        const range = brushToRange(span);
        if (range === undefined) return false;
        update({ range });
        return true;
      },
      setParams: (patch, options) => {
        const next = new URLSearchParams(params);
        for (const [key, value] of Object.entries(patch)) {
          if (value === undefined || value === "") next.delete(key);
          else next.set(key, value);
        }
        navigate(next, options);
      },
      apiParams: frameApiParams(state, from, to),
      hrefWithFrame: (target) => `${target}${toQueryString(frameOnly(params))}`,
      params: new URLSearchParams(params),
    }),
    [state, from, to, update, navigate, params],
  );
}

/** Epoch ms, re-read every liveTickMs in relative mode; frozen in absolute mode. */
function useLiveClock(range: TimeRange): number {
  const [now, setNow] = useState(() => Date.now());
  const tick = liveTickMs(range);
  // A new range re-reads the clock at once, not at the next tick.
  const rangeKey = range.kind === "relative" ? range.preset : `${range.from}-${range.to}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: rangeKey restarts the clock on a new range
  useEffect(() => {
    setNow(Date.now());
    if (tick === undefined) return;
    const timer = setInterval(() => setNow(Date.now()), tick);
    return () => clearInterval(timer);
  }, [tick, rangeKey]);
  return now;
}
