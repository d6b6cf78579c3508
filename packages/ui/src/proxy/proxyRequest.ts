import { sessionTokenOf } from "../session/sessionCookie";
import { upstreamToken } from "../session/signInPolicy";
import { upstreamUrl } from "./upstreamUrl";

/** How long the collector may take to answer, and to finish a response that is not an event stream. */
export const UPSTREAM_TIMEOUT_MS = 15_000;

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
  // The UI's own cookies (the session token among them) are for the UI, not the collector.
  "cookie",
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
 * The bearer token is the signed-in user's (the session cookie), else PERISCOPE_API_TOKEN
 * (read per request, like the URL) unless PERISCOPE_UI_SIGN_IN=required; a browser that
 * sends its own Authorization header keeps it (src/session/signInPolicy.ts).
 *
 * The response body is relayed chunk by chunk as it arrives, never buffered. An event
 * stream (GET /api/v1/live) is open-ended, so the timeout stops at its headers; the
 * upstream call ends when the browser goes away (request.signal, or the relayed body
 * cancelled).
 */
export async function proxyRequest(
  request: Request,
  segments: readonly string[],
  env: Record<string, string | undefined> = process.env,
  fetchImpl: typeof fetch = fetch,
  timeoutMs: number = UPSTREAM_TIMEOUT_MS,
): Promise<Response> {
  const target = upstreamUrl(env.PERISCOPE_API_URL, segments, new URL(request.url).search);
  if (!target.ok) return errorResponse(400, "bad_request", target.message);

  const headers = new Headers();
  request.headers.forEach((value, name) => {
    if (!DROPPED_REQUEST_HEADERS.has(name.toLowerCase())) headers.set(name, value);
  });
  const token = upstreamToken(
    request.headers.get("authorization"),
    sessionTokenOf(request.headers.get("cookie")),
    env,
  );
  if (token !== undefined) headers.set("authorization", `Bearer ${token}`);
  const hasBody = request.method !== "GET" && request.method !== "HEAD";

  const call = new UpstreamCall(request, timeoutMs);
  let upstream: Response;
  try {
    upstream = await fetchImpl(target.url, {
      method: request.method,
      headers,
      body: hasBody ? await request.arrayBuffer() : undefined,
      cache: "no-store",
      redirect: "manual",
      signal: call.signal,
    });
  } catch (error) {
    call.finish();
    return errorResponse(502, "internal", `collector unreachable at ${target.url.origin}: ${causeOf(error)}`);
  }

  const eventStream = /^text\/event-stream\b/i.test(upstream.headers.get("content-type") ?? "");
  if (eventStream) call.stopTimer();
  const responseHeaders = new Headers();
  upstream.headers.forEach((value, name) => {
    if (!DROPPED_RESPONSE_HEADERS.has(name.toLowerCase())) responseHeaders.set(name, value);
  });
  // Next's server gzips compressible responses and flushes only when its buffer fills,
  // which would hold events back; the compression middleware skips no-transform
  // (RFC 9111 §5.2.2.6).
  if (eventStream) responseHeaders.set("cache-control", "no-cache, no-transform");
  if (upstream.body === null) call.finish();
  return new Response(upstream.body === null ? null : relay(upstream.body, call), {
    status: upstream.status,
    statusText: upstream.statusText,
    headers: responseHeaders,
  });
}

/**
 * The abort signal of one upstream call: the browser leaving, or the timeout.
 *
 * It holds the browser's Request, not just its signal, for as long as the call runs:
 * a Request built from another one (Next builds the handler's from its own with a
 * signal) follows that signal only through a weak reference kept alive by the Request
 * (undici lib/web/fetch/request.js), so once the Request is collected a disconnect
 * never reaches its signal.
 */
class UpstreamCall {
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly onClientGone: () => void;

  constructor(
    private readonly request: Request,
    timeoutMs: number,
  ) {
    this.onClientGone = () => this.abort(request.signal.reason);
    if (request.signal.aborted) this.onClientGone();
    else request.signal.addEventListener("abort", this.onClientGone, { once: true });
    this.timer = setTimeout(() => this.abort(new DOMException("timed out", "TimeoutError")), timeoutMs);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  stopTimer(): void {
    clearTimeout(this.timer);
  }

  abort(reason: unknown): void {
    this.finish();
    this.controller.abort(reason);
  }

  /** The call is over either way: nothing may keep a reference to it. */
  finish(): void {
    this.stopTimer();
    this.request.signal.removeEventListener("abort", this.onClientGone);
  }
}

/** The upstream body as a new stream, pulled one chunk at a time; cancelling it aborts the call. */
function relay(body: ReadableStream<Uint8Array>, call: UpstreamCall): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await reader.read();
        if (done) {
          call.finish();
          controller.close();
        } else {
          controller.enqueue(value);
        }
      } catch (error) {
        call.finish();
        controller.error(error);
      }
    },
    async cancel(reason) {
      call.abort(reason);
      await reader.cancel(reason).catch(() => {});
    },
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
