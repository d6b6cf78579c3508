export const DEFAULT_API_URL = "http://127.0.0.1:8080";

export type UpstreamUrl = { ok: true; url: URL } | { ok: false; message: string };

/**
 * The collector URL for a proxied /api/v1/<segments>?<search> request. The base is
 * PERISCOPE_API_URL (any path prefix on it is kept). Dot segments are refused so a
 * request cannot climb out of /api/v1 on the collector.
 */
export function upstreamUrl(
  apiBase: string | undefined,
  segments: readonly string[],
  search: string,
): UpstreamUrl {
  let base: URL;
  try {
    base = new URL(apiBase?.trim() || DEFAULT_API_URL);
  } catch {
    return { ok: false, message: `PERISCOPE_API_URL is not a URL: ${apiBase}` };
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") {
    return { ok: false, message: `PERISCOPE_API_URL must be http(s): ${apiBase}` };
  }
  if (segments.some((segment) => segment === "" || segment === "." || segment === "..")) {
    return { ok: false, message: "invalid API path" };
  }
  const prefix = base.pathname.replace(/\/+$/, "");
  const path = segments.map((segment) => encodeURIComponent(segment)).join("/");
  const url = new URL(base.origin);
  url.pathname = `${prefix}/api/v1/${path}`;
  url.search = search;
  return { ok: true, url };
}
