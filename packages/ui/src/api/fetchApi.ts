import { asObject, readString } from "./jsonFields";

export type ApiResult<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * GETs a path on the UI origin and parses the JSON body with `parse`. Every failure
 * (network, HTTP error, non-JSON body, unexpected shape) becomes `{ ok: false }` with a
 * message fit for the error banner; only an abort is rethrown, so callers can ignore it.
 */
export async function fetchApi<T>(
  path: string,
  parse: (body: unknown) => T | undefined,
  signal?: AbortSignal,
  fetchImpl: typeof fetch = fetch,
): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetchImpl(path, { signal, cache: "no-store", headers: { accept: "application/json" } });
  } catch (error) {
    if (signal?.aborted) throw error;
    return { ok: false, message: `network error: ${describe(error)}` };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    if (signal?.aborted) throw error;
    return { ok: false, message: `HTTP ${response.status}: response is not JSON` };
  }
  if (!response.ok) {
    return { ok: false, message: `HTTP ${response.status}: ${errorMessageOf(body) ?? response.statusText}` };
  }
  const value = parse(body);
  return value === undefined ? { ok: false, message: "unexpected response shape" } : { ok: true, value };
}

function errorMessageOf(body: unknown): string | undefined {
  const error = asObject(asObject(body)?.error);
  if (!error) return undefined;
  return readString(error, "message") || readString(error, "code") || undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
