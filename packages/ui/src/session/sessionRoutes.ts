// The session endpoints behind /auth/session: sign in (POST a token), ask who
// is signed in (GET), sign out (DELETE). The token is checked with the
// collector before it becomes a cookie, and never appears in a response body.
import { fetchSelf } from "./collectorSelf";
import { clearedSessionCookie, isHttps, sessionCookie, sessionTokenOf } from "./sessionCookie";
import { signInModeOf, upstreamToken } from "./signInPolicy";

type Env = Record<string, string | undefined>;

const MAX_TOKEN_LENGTH = 512;

function json(status: number, body: unknown, setCookie?: string): Response {
  const headers = new Headers({ "content-type": "application/json", "cache-control": "no-store" });
  if (setCookie !== undefined) headers.set("set-cookie", setCookie);
  return new Response(JSON.stringify(body), { status, headers });
}

function error(status: number, code: string, message: string): Response {
  return json(status, { error: { code, message } });
}

/** POST {token}: a session for a token the collector knows. */
export async function signIn(request: Request, env: Env, fetchImpl: typeof fetch = fetch): Promise<Response> {
  const body = (await request.json().catch(() => undefined)) as { token?: unknown } | undefined;
  const token = typeof body?.token === "string" ? body.token.trim() : "";
  if (token === "") return error(400, "bad_request", "paste an API token (it starts with psk_)");
  if (token.length > MAX_TOKEN_LENGTH || /[\s;,]/.test(token)) {
    return error(
      400,
      "bad_request",
      "that is not an API token: it has spaces, commas or semicolons, or is too long",
    );
  }
  const self = await fetchSelf(token, env, fetchImpl);
  if (!self.ok) {
    return self.status === 401
      ? error(401, "unauthorized", "the collector does not know this token (unknown or revoked)")
      : error(self.status, "upstream", self.message);
  }
  return json(200, { name: self.name, role: self.role }, sessionCookie(token, isHttps(request)));
}

/** GET: who the UI acts as for this browser, and whether signing in is possible or needed. */
export async function currentSession(
  request: Request,
  env: Env,
  fetchImpl: typeof fetch = fetch,
): Promise<Response> {
  const sessionToken = sessionTokenOf(request.headers.get("cookie"));
  const mode = signInModeOf(env);
  const self = await fetchSelf(upstreamToken(null, sessionToken, env), env, fetchImpl);
  const base = { signedIn: sessionToken !== undefined, mode };
  if (self.ok)
    return json(200, { ...base, name: self.name, role: self.role, authenticated: self.authenticated });
  if (self.status === 401) {
    // A session whose token was revoked: drop the cookie so the next page asks again.
    const cleared = sessionToken === undefined ? undefined : clearedSessionCookie(isHttps(request));
    return json(200, { ...base, signedIn: false, name: null, role: null, authenticated: true }, cleared);
  }
  return error(self.status, "upstream", self.message);
}

/** DELETE: sign out. */
export function signOut(request: Request): Response {
  return new Response(null, {
    status: 204,
    headers: { "set-cookie": clearedSessionCookie(isHttps(request)), "cache-control": "no-store" },
  });
}
