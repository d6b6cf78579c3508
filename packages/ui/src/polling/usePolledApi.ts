"use client";

import { useEffect, useState } from "react";
import { fetchApi } from "../api/fetchApi";
import { createPoller } from "./createPoller";

export const POLL_INTERVAL_MS = 2000;

export interface PolledApiState<T> {
  /** The last good response; kept while later polls fail, so the page does not blank. */
  data: T | undefined;
  /** Why the latest poll failed; undefined once a poll succeeds again. */
  error: string | undefined;
  /** When `data` was last refreshed (epoch ms). */
  updatedAt: number | undefined;
}

/**
 * Polls a JSON endpoint on the UI origin for as long as the calling component is
 * mounted. `urlAt` and `parse` must be stable (module-level) functions: a new
 * function restarts the poller.
 */
export function usePolledApi<T>(
  urlAt: (nowMs: number) => string,
  parse: (body: unknown) => T | undefined,
  intervalMs = POLL_INTERVAL_MS,
): PolledApiState<T> {
  const [state, setState] = useState<PolledApiState<T>>({
    data: undefined,
    error: undefined,
    updatedAt: undefined,
  });

  useEffect(() => {
    const poller = createPoller({
      intervalMs,
      run: (signal) => fetchApi(urlAt(Date.now()), parse, signal),
      onResult: (result) =>
        setState((previous) =>
          result.ok
            ? { data: result.value, error: undefined, updatedAt: Date.now() }
            : { ...previous, error: result.message },
        ),
      onError: (error) =>
        setState((previous) => ({
          ...previous,
          error: error instanceof Error ? error.message : String(error),
        })),
    });
    return () => poller.stop();
  }, [urlAt, parse, intervalMs]);

  return state;
}
