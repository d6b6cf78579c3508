import { upstreamUrl } from "./upstreamUrl";

const UPSTREAM_TIMEOUT_MS = 15_000;

// Hop-by-hop headers (RFC 9110 §7.6.1) and those fetch re-derives itself; the body is
// already decompressed by fetch, so content-encoding/length must not be passed on.
const DROPPED_REQUEST_HEADERS = new Set([
  "host",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "te",
  "content-length",
  "accept-encoding",
]);
const DROPPED_RESPONSE_HEADERS = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "content-encoding",
  "content-length",
]);

/**
 * Forwards a browser request on /api/v1/* to the collector, reading PERISCOPE_API_URL
 * at request time. Failures answer in the collector's own error shape, so the UI has
 * one error path: 400 for a bad path, 502 when the collector cannot be reached.
 */
export async function proxyRequest(
  request: Request,
  segments: readonly string[],
  env: Record<string, string | undefined> = process.env,
  fetchImpl: typeof fetch = fetch,
): Promise<Response> {
  const target = upstreamUrl(env.PERISCOPE_API_URL, segments, new URL(request.url).search);
  if (!target.ok) return errorResponse(400, "bad_request", target.message);

  const headers = new Headers();
  request.headers.forEach((value, name) => {
    if (!DROPPED_REQUEST_HEADERS.has(name.toLowerCase())) headers.set(name, value);
  });
  const hasBody = request.method !== "GET" && request.method !== "HEAD";

  let upstream: Response;
  try {
    upstream = await fetchImpl(target.url, {
      method: request.method,
      headers,
      body: hasBody ? await request.arrayBuffer() : undefined,
      cache: "no-store",
      redirect: "manual",
      signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS),
    });
  } catch (error) {
    return errorResponse(502, "internal", `collector unreachable at ${target.url.origin}: ${causeOf(error)}`);
  }

  const responseHeaders = new Headers();
  upstream.headers.forEach((value, name) => {
    if (!DROPPED_RESPONSE_HEADERS.has(name.toLowerCase())) responseHeaders.set(name, value);
  });
  return new Response(upstream.body, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers: responseHeaders,
  });
}

function errorResponse(status: number, code: "bad_request" | "internal", message: string): Response {
  return Response.json({ error: { code, message } }, { status, headers: { "cache-control": "no-store" } });
}

/** undici hides the useful part ("ECONNREFUSED") in error.cause. */
function causeOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  if (cause instanceof Error) return (cause as NodeJS.ErrnoException).code ?? cause.message;
  return error.name === "TimeoutError" ? "timed out" : error.message;
}
