// HTTP/1.1 with JSON bodies, as the demo's services speak it: a keep-alive
// client (real services reuse connections, and the tracer must follow them)
// that sends the current trace context, and a server that serves each request
// inside the context its traceparent header carried.
import http from "node:http";
import type { ServiceRuntime } from "./service-runtime.js";
import {
  newTrace,
  outgoingContext,
  parseTraceparent,
  traceHeaders,
  withTraceContext,
} from "./trace-context.js";

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 8 });

export interface JsonResponse {
  status: number;
  body: unknown;
}

/** A status and message the route chose, e.g. a 503 when a dependency failed. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function requestJson(
  method: "GET" | "POST",
  url: string,
  body?: unknown,
  timeoutMs = 5_000,
): Promise<JsonResponse> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: http.OutgoingHttpHeaders = { ...traceHeaders(outgoingContext()) };
  if (payload !== undefined) {
    headers["content-type"] = "application/json";
    headers["content-length"] = Buffer.byteLength(payload);
  }
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, agent: keepAlive, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        try {
          resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : null });
        } catch {
          reject(new Error(`${method} ${url}: answer is not JSON`));
        }
      });
    });
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`${method} ${url} timed out`)));
    request.on("error", reject);
    request.end(payload);
  });
}

/** Like requestJson, but a non-2xx answer throws an HttpError that the caller's route passes on as 502. */
export async function callJson(method: "GET" | "POST", url: string, body?: unknown): Promise<unknown> {
  const response = await requestJson(method, url, body);
  if (response.status < 200 || response.status > 299) {
    throw new HttpError(502, `${method} ${new URL(url).pathname} answered ${response.status}`);
  }
  return response.body;
}

export interface RouteRequest {
  method: string;
  url: URL;
  /** The parsed JSON body (undefined for none). */
  body: unknown;
}

/** Returns the route's answer, or undefined when no route matches (404). */
export type Router = (request: RouteRequest) => Promise<JsonResponse | undefined>;

export function serveJson(runtime: ServiceRuntime, route: Router): http.Server {
  const server = http.createServer((request, response) => {
    const context = parseTraceparent(header(request.headers.traceparent), header(request.headers.tracestate));
    const url = new URL(request.url ?? "/", "http://localhost");
    runtime.logTrace("http-header", `${request.method} ${url.pathname}`, context);
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      // Serving inside the caller's context, or a new trace's (an edge request that carried none).
      void withTraceContext(context ?? newTrace(), () =>
        answer(request, url, Buffer.concat(chunks), route),
      ).then(({ status, body }) => {
        const text = JSON.stringify(body);
        response.writeHead(status, {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(text),
        });
        response.end(text);
      });
    });
  });
  server.keepAliveTimeout = 30_000;
  server.listen(runtime.port, "127.0.0.1", () =>
    console.log(`${runtime.title} listening on 127.0.0.1:${runtime.port}`),
  );
  runtime.onStop(() => {
    server.close();
    server.closeAllConnections();
    keepAlive.destroy();
  });
  return server;
}

async function answer(
  request: http.IncomingMessage,
  url: URL,
  raw: Buffer,
  route: Router,
): Promise<JsonResponse> {
  try {
    const body = raw.length > 0 ? JSON.parse(raw.toString("utf8")) : undefined;
    return (
      (await route({ method: request.method ?? "GET", url, body })) ?? {
        status: 404,
        body: { error: `no route for ${request.method} ${url.pathname}` },
      }
    );
  } catch (error) {
    if (error instanceof HttpError) return { status: error.status, body: { error: error.message } };
    if (error instanceof SyntaxError) return { status: 400, body: { error: "request body is not JSON" } };
    return { status: 502, body: { error: error instanceof Error ? error.message : String(error) } };
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
