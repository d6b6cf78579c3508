import { asObject, readString } from "./jsonFields";

export type SendResult<T> = { ok: true; value: T } | { ok: false; status: number; message: string };

/**
 * Sends a JSON body (PUT, POST…) to a path on the UI origin. Failures keep the HTTP
 * status so a page can tell "not allowed" (403: a viewer's token) from a bad value
 * (400) or an outage, and say which.
 */
export async function sendJson<T>(
  path: string,
  method: "PUT" | "POST" | "PATCH" | "DELETE",
  body: unknown,
  parse: (body: unknown) => T | undefined,
  fetchImpl: typeof fetch = fetch,
): Promise<SendResult<T>> {
  let response: Response;
  try {
    response = await fetchImpl(path, {
      method,
      cache: "no-store",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
    });
  } catch (error) {
    return {
      ok: false,
      status: 0,
      message: `network error: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const error = asObject(asObject(json)?.error);
    const detail =
      (error && (readString(error, "message") || readString(error, "code"))) || response.statusText;
    return { ok: false, status: response.status, message: describeFailure(response.status, detail) };
  }
  const value = parse(json);
  return value === undefined
    ? { ok: false, status: response.status, message: "unexpected response shape" }
    : { ok: true, value };
}

/** What the user reads: the cause first, the collector's words after. */
export function describeFailure(status: number, detail: string): string {
  if (status === 401) return `Not signed in (HTTP 401): ${detail}`;
  if (status === 403)
    return `Not allowed: your token may only read, changing this needs an editor or admin (HTTP 403: ${detail})`;
  if (status === 400) return `The collector refused the value (HTTP 400): ${detail}`;
  return `HTTP ${status}: ${detail}`;
}
