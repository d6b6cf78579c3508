"use client";

import { useEffect, useState } from "react";
import { fetchApi } from "../../api/fetchApi";

export type Resource<T> =
  | { state: "loading" }
  | { state: "error"; message: string }
  | { state: "ready"; value: T };

/** One GET of an API path, parsed; refetched when the path changes. */
export function useApiResource<T>(path: string, parse: (body: unknown) => T | undefined): Resource<T> {
  const [resource, setResource] = useState<Resource<T>>({ state: "loading" });
  useEffect(() => {
    const controller = new AbortController();
    setResource({ state: "loading" });
    fetchApi(path, parse, controller.signal)
      .then((result) =>
        setResource(
          result.ok ? { state: "ready", value: result.value } : { state: "error", message: result.message },
        ),
      )
      .catch(() => undefined);
    return () => controller.abort();
  }, [path, parse]);
  return resource;
}
