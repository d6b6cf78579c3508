"use client";

import { useEffect, useState } from "react";
import { fetchApi } from "../../api/fetchApi";

export type Resource<T> =
  | { status: "loading" }
  | { status: "error"; message: string }
  | {
      status: "ready";
      data: T;
      /** The URL `data` came from: its from/to are the range the figures describe (see rangeOfUrl). */
      url: string;
      refreshing: boolean;
      error: string | undefined;
    };

/**
 * Fetches `url` whenever it changes (a live frame changes it every tick). The
 * last good data stays on screen while the next fetch runs or if it fails, so a
 * live page does not blank; a failure before any data is the error state. `parse`
 * must be a stable (module-level) function. An undefined url waits (loading).
 */
export function useApiResource<T>(
  url: string | undefined,
  parse: (body: unknown) => T | undefined,
): Resource<T> {
  const [state, setState] = useState<Resource<T>>({ status: "loading" });
  useEffect(() => {
    if (url === undefined) return;
    const controller = new AbortController();
    setState((previous) => (previous.status === "ready" ? { ...previous, refreshing: true } : previous));
    fetchApi(url, parse, controller.signal)
      .then((result) =>
        setState((previous) => {
          if (result.ok)
            return { status: "ready", data: result.value, url, refreshing: false, error: undefined };
          return previous.status === "ready"
            ? { ...previous, refreshing: false, error: result.message }
            : { status: "error", message: result.message };
        }),
      )
      .catch(() => {
        // Aborted: a newer url took over.
      });
    return () => controller.abort();
  }, [url, parse]);
  return state;
}
