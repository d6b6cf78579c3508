"use client";

// One GET of a collector resource, refetched whenever its URL changes; the previous
// data stays on screen while the next request is in flight, so a live tick does not
// blank the page. `undefined` as the URL means "nothing to ask yet".
import { useEffect, useState } from "react";
import { fetchApi } from "../../api/fetchApi";

export interface ApiJsonState<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
}

export function useApiJson<T>(
  url: string | undefined,
  parse: (body: unknown) => T | undefined,
): ApiJsonState<T> {
  const [state, setState] = useState<ApiJsonState<T>>({
    data: undefined,
    error: undefined,
    loading: url !== undefined,
  });
  useEffect(() => {
    if (url === undefined) {
      setState({ data: undefined, error: undefined, loading: false });
      return;
    }
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    fetchApi(url, parse, controller.signal).then(
      (result) =>
        setState((previous) =>
          result.ok
            ? { data: result.value, error: undefined, loading: false }
            : { data: previous.data, error: result.message, loading: false },
        ),
      () => {
        // Aborted: a newer URL took over.
      },
    );
    return () => controller.abort();
  }, [url, parse]);
  return state;
}
