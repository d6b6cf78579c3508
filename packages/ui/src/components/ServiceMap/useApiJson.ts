"use client";

import { useEffect, useRef, useState } from "react";
import { fetchApi } from "../../api/fetchApi";

export interface ApiJsonState<T> {
  /** The last good response; kept while a refresh fails, so the panel does not blank. */
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  /** When `data` last arrived (epoch ms). */
  updatedAt: number | undefined;
}

/**
 * GETs `url` (on the UI origin) whenever it changes; undefined fetches nothing. A newer
 * request aborts an older one, so answers never arrive out of order. The data shown is
 * kept across URLs with the same `subject` (a live map's moving window) and cleared for
 * a new one (another service clicked).
 */
export function useApiJson<T>(
  url: string | undefined,
  parse: (body: unknown) => T | undefined,
  subject: string | undefined = url,
): ApiJsonState<T> {
  const [state, setState] = useState<ApiJsonState<T>>({
    data: undefined,
    error: undefined,
    loading: url !== undefined,
    updatedAt: undefined,
  });
  const parseRef = useRef(parse);
  parseRef.current = parse;
  const subjectRef = useRef(subject);
  const subjectNow = useRef(subject);
  subjectNow.current = subject;

  useEffect(() => {
    if (url === undefined) return;
    const controller = new AbortController();
    const sameSubject = subjectRef.current === subjectNow.current;
    subjectRef.current = subjectNow.current;
    setState((previous) =>
      sameSubject
        ? { ...previous, loading: true }
        : { data: undefined, updatedAt: undefined, error: undefined, loading: true },
    );
    fetchApi(url, parseRef.current, controller.signal)
      .then((result) =>
        setState((previous) =>
          result.ok
            ? { data: result.value, error: undefined, loading: false, updatedAt: Date.now() }
            : { ...previous, error: result.message, loading: false },
        ),
      )
      .catch(() => undefined); // aborted: a newer request owns the state
    return () => controller.abort();
  }, [url]);

  return state;
}
