import { proxyRequest } from "../../../../proxy/proxyRequest";

// The collector API, proxied so the browser talks only to the UI origin. A route
// handler rather than a rewrite: rewrites are frozen into the standalone build, and
// PERISCOPE_API_URL must be read when the server runs.

type Context = { params: Promise<{ path: string[] }> };

// PERISCOPE_API_TOKEN is added by proxyRequest: re-wrapping the Request here to add
// it would loosen the link to the browser's abort signal (see UpstreamCall).
async function forward(request: Request, context: Context): Promise<Response> {
  const { path } = await context.params;
  return proxyRequest(request, path);
}

export const GET = forward;
export const HEAD = forward;
export const POST = forward;
export const PUT = forward;
export const PATCH = forward;
export const DELETE = forward;
