"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useLiveEvents } from "../../frame/LiveProvider";
import type { Frame } from "../../frame/useFrame";
import { type MapModel, mapModelOf } from "../../serviceMap/mapModel";
import { type ApiJsonState, useApiJson } from "./useApiJson";

// A live map refetches when the collector's stream says the map moved, at most every
// MIN_REFRESH_MS (the stream can speak every second); FALLBACK_REFRESH_MS covers a
// stream that is down. An absolute range is fetched once.
const MIN_REFRESH_MS = 2000;
const FALLBACK_REFRESH_MS = 10_000;

/** The map for the frame's range and namespace filter. */
export function useMapData(frame: Frame, path = "/api/v1/map"): ApiJsonState<MapModel> {
  const [tick, setTick] = useState(0);
  const lastRefresh = useRef(0);
  const refresh = useCallback(() => {
    const now = Date.now();
    if (now - lastRefresh.current < MIN_REFRESH_MS) return;
    lastRefresh.current = now;
    setTick((t) => t + 1);
  }, []);
  useLiveEvents("map", () => {
    if (frame.live) refresh();
  });
  useEffect(() => {
    if (!frame.live) return;
    const timer = setInterval(refresh, FALLBACK_REFRESH_MS);
    return () => clearInterval(timer);
  }, [frame.live, refresh]);

  // In live mode the window is re-resolved at each refresh so the newest calls show up
  // between the frame's own clock ticks, and the frame's clock itself is not a reason to
  // refetch: it re-reads the time just after mount, and following it aborted the first
  // map and fetched it again on every load (~300 ms of the first render, make bench-ui).
  const span = frame.to.getTime() - frame.from.getTime();
  const fixedTo = frame.live ? undefined : frame.to.getTime();
  // biome-ignore lint/correctness/useExhaustiveDependencies: tick re-resolves "now" for a live refresh
  const url = useMemo(() => {
    const params = new URLSearchParams();
    const to = fixedTo ?? Date.now();
    params.set("from", new Date(to - span).toISOString());
    params.set("to", new Date(to).toISOString());
    if (frame.state.namespace) params.set("namespace", frame.state.namespace);
    return `${path}?${params}`;
  }, [fixedTo, span, frame.state.namespace, path, tick]);
  return useApiJson(url, mapModelOf, `${path} ${frame.state.namespace ?? ""}`);
}
