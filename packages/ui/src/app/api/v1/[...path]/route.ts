import { proxyRequest } from "../../../../proxy/proxyRequest";

// The collector API, proxied so the browser talks only to the UI origin. A route
// handler rather than a rewrite: rewrites are frozen into the standalone build, and
// PERISCOPE_API_URL must be read when the server runs.

type Context = { params: Promise<{ path: string[] }> };

/**
 * PERISCOPE_API_TOKEN (read per request, like the URL) authenticates the UI's
 * server to the collector; its role is what UI users may do. A browser that
 * sends its own Authorization header keeps it.
 */
function withApiToken(request: Request): Request {
  const token = process.env.PERISCOPE_API_TOKEN;
  if (!token || request.headers.has("authorization")) return request;
  const headers = new Headers(request.headers);
  headers.set("authorization", `Bearer ${token}`);
  // duplex is required by undici when a request body is re-wrapped as a stream.
  return new Request(request, { headers, duplex: "half" } as RequestInit);
}

async function forward(request: Request, context: Context): Promise<Response> {
  const { path } = await context.params;
  return proxyRequest(withApiToken(request), path);
}

export const GET = forward;
export const HEAD = forward;
export const POST = forward;
export const PUT = forward;
export const PATCH = forward;
export const DELETE = forward;
