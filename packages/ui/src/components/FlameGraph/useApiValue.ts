"use client";

// One GET per distinct URL (the selectors' option lists): no polling, the last
// good value kept while a new URL loads.
import { useEffect, useState } from "react";
import { fetchApi } from "../../api/fetchApi";

export function useApiValue<T>(
  url: string | undefined,
  parse: (body: unknown) => T | undefined,
): { value: T | undefined; error: string | undefined } {
  const [state, setState] = useState<{ value: T | undefined; error: string | undefined }>({
    value: undefined,
    error: undefined,
  });
  useEffect(() => {
    if (url === undefined) return;
    const controller = new AbortController();
    fetchApi(url, parse, controller.signal)
      .then((result) =>
        setState((previous) =>
          result.ok ? { value: result.value, error: undefined } : { ...previous, error: result.message },
        ),
      )
      .catch(() => {});
    return () => controller.abort();
  }, [url, parse]);
  return state;
}
