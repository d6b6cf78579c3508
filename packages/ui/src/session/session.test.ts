// Sign-in: the cookie's attributes, which token goes upstream, and the
// /auth/session handlers against an HTTP server answering as the collector's
// GET /api/v1/tokens/self does (401 for an unknown token). The real collector
// behind the real UI is e2e/sign-in.spec.ts.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_COOKIE, sessionCookie, sessionTokenOf } from "./sessionCookie";
import { currentSession, signIn, signOut } from "./sessionRoutes";
import { signInModeOf, signInNeeded, upstreamToken } from "./signInPolicy";

const KNOWN: Record<string, { name: string; role: string }> = {
  "psk_viewer-secret": { name: "alice", role: "viewer" },
  "psk_ui-secret": { name: "ui", role: "editor" },
};

let collector: Server;
let env: Record<string, string | undefined>;

beforeAll(async () => {
  collector = createServer((req, res) => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const who = token === undefined ? undefined : KNOWN[token];
    res.writeHead(who ? 200 : 401, { "content-type": "application/json" });
    res.end(
      JSON.stringify(
        who
          ? { ...who, authenticated: true }
          : { error: { code: "unauthorized", message: "unknown or revoked" } },
      ),
    );
  });
  await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
  env = { PERISCOPE_API_URL: `http://127.0.0.1:${(collector.address() as AddressInfo).port}` };
});

afterAll(() => new Promise<void>((resolve) => collector.close(() => resolve())));

const post = (body: unknown, url = "http://127.0.0.1:3000/auth/session") =>
  new Request(url, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json" },
  });

describe("the session cookie", () => {
  it("is HttpOnly and SameSite=Strict, Secure over HTTPS, and reads back from a Cookie header", () => {
    const cookie = sessionCookie("psk_a+b/c", true);
    expect(cookie).toMatch(/^periscope_session=psk_a%2Bb%2Fc; /);
    expect(cookie.split("; ")).toEqual(
      expect.arrayContaining(["HttpOnly", "SameSite=Strict", "Secure", "Path=/"]),
    );
    expect(sessionCookie("t", false)).not.toMatch(/Secure/);
    expect(sessionTokenOf(`a=1; ${SESSION_COOKIE}=psk_a%2Bb%2Fc; b=2`)).toBe("psk_a+b/c");
    expect(sessionTokenOf("a=1")).toBeUndefined();
    expect(sessionTokenOf(`${SESSION_COOKIE}=%E0%A4%A`)).toBeUndefined();
  });
});

describe("which token goes to the collector", () => {
  const ui = { PERISCOPE_API_TOKEN: "psk_ui-secret" };
  it("prefers the browser's own header, then the session, then the UI's token", () => {
    expect(upstreamToken("Bearer own", "psk_s", ui)).toBeUndefined();
    expect(upstreamToken(null, "psk_s", ui)).toBe("psk_s");
    expect(upstreamToken(null, undefined, ui)).toBe("psk_ui-secret");
    expect(upstreamToken(null, undefined, { ...ui, PERISCOPE_UI_SIGN_IN: "required" })).toBeUndefined();
  });

  it("asks for sign-in in auto mode only when the UI has no token and the collector wants one", async () => {
    expect(signInModeOf({ PERISCOPE_UI_SIGN_IN: "Required" })).toBe("required");
    expect(signInModeOf({ PERISCOPE_UI_SIGN_IN: "sometimes" })).toBe("auto");
    const wants = async () => true;
    expect(await signInNeeded("auto", false, true, wants)).toBe(false);
    expect(await signInNeeded("auto", false, false, wants)).toBe(true);
    expect(await signInNeeded("auto", false, false, async () => false)).toBe(false);
    expect(await signInNeeded("required", false, true, wants)).toBe(true);
    expect(await signInNeeded("required", true, false, wants)).toBe(false);
    expect(await signInNeeded("off", false, false, wants)).toBe(false);
  });
});

describe("/auth/session", () => {
  it("signs in with a token the collector knows, and the cookie carries it (never the body)", async () => {
    const response = await signIn(post({ token: " psk_viewer-secret " }), env);
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(JSON.parse(body)).toEqual({ name: "alice", role: "viewer" });
    expect(body).not.toContain("psk_viewer-secret");
    expect(sessionTokenOf(response.headers.get("set-cookie")?.split("; ")[0])).toBe("psk_viewer-secret");
  });

  it("refuses an unknown token with 401, and an empty or malformed one with 400, setting no cookie", async () => {
    const unknown = await signIn(post({ token: "psk_nobody" }), env);
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get("set-cookie")).toBeNull();
    for (const body of [{}, { token: "" }, { token: "psk_a; Path=/x" }, "not json"]) {
      const response = await signIn(post(body), env);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.headers.get("set-cookie")).toBeNull();
    }
  });

  it("says who is signed in, and drops a session whose token was revoked", async () => {
    const withCookie = (token: string) =>
      new Request("http://127.0.0.1:3000/auth/session", {
        headers: { cookie: `${SESSION_COOKIE}=${token}` },
      });
    const alice = await currentSession(withCookie("psk_viewer-secret"), env);
    expect(await alice.json()).toMatchObject({ signedIn: true, name: "alice", role: "viewer", mode: "auto" });
    const revoked = await currentSession(withCookie("psk_revoked"), env);
    expect(await revoked.json()).toMatchObject({ signedIn: false, name: null });
    expect(revoked.headers.get("set-cookie")).toMatch(/Max-Age=0/);
    const asUi = await currentSession(new Request("http://127.0.0.1:3000/auth/session"), {
      ...env,
      PERISCOPE_API_TOKEN: "psk_ui-secret",
    });
    expect(await asUi.json()).toMatchObject({ signedIn: false, name: "ui", role: "editor" });
  });

  it("signs out by expiring the cookie", () => {
    const response = signOut(new Request("https://periscope.example/auth/session", { method: "DELETE" }));
    expect(response.status).toBe(204);
    expect(response.headers.get("set-cookie")).toMatch(/^periscope_session=; .*Max-Age=0; Secure$/);
  });
});
