// Who a token is, asked of the collector (GET /api/v1/tokens/self): how the
// UI's server checks a token before it becomes a session, and what the
// session menu shows.
import { upstreamUrl } from "../proxy/upstreamUrl";

export type Self =
  | { ok: true; name: string; role: "viewer" | "editor" | "admin"; authenticated: boolean }
  | { ok: false; status: number; message: string };

const ROLES = new Set(["viewer", "editor", "admin"]);
const TIMEOUT_MS = 5_000;

export async function fetchSelf(
  token: string | undefined,
  env: Record<string, string | undefined>,
  fetchImpl: typeof fetch = fetch,
): Promise<Self> {
  const target = upstreamUrl(env.PERISCOPE_API_URL, ["tokens", "self"], "");
  if (!target.ok) return { ok: false, status: 500, message: target.message };
  let response: Response;
  try {
    response = await fetchImpl(target.url, {
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      cache: "no-store",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    const cause = error instanceof Error ? error.message : String(error);
    return { ok: false, status: 502, message: `collector unreachable at ${target.url.origin}: ${cause}` };
  }
  const body = (await response.json().catch(() => undefined)) as
    | { name?: unknown; role?: unknown; authenticated?: unknown; error?: { message?: unknown } }
    | undefined;
  if (!response.ok) {
    const message = typeof body?.error?.message === "string" ? body.error.message : `HTTP ${response.status}`;
    return { ok: false, status: response.status, message };
  }
  if (typeof body?.name !== "string" || typeof body.role !== "string" || !ROLES.has(body.role)) {
    return {
      ok: false,
      status: 502,
      message: "the collector's answer to /api/v1/tokens/self has an unexpected shape",
    };
  }
  return {
    ok: true,
    name: body.name,
    role: body.role as "viewer" | "editor" | "admin",
    authenticated: body.authenticated === true,
  };
}
