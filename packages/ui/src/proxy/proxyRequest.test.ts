import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proxyRequest } from "./proxyRequest";
import { upstreamUrl } from "./upstreamUrl";

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let collector: Server;
let collectorUrl: string;
const seen: Seen[] = [];

beforeAll(async () => {
  collector = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      const status = req.url?.startsWith("/api/v1/missing") ? 404 : 200;
      res.writeHead(status, { "content-type": "application/json", "x-collector": "yes" });
      res.end(
        JSON.stringify(
          status === 200 ? { echoed: req.url } : { error: { code: "not_found", message: "no such thing" } },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
  collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => collector.close(() => resolve())));

const uiRequest = (path: string, init?: RequestInit) => new Request(`http://127.0.0.1:3000${path}`, init);

describe("proxyRequest", () => {
  it("forwards path and query to the collector named by PERISCOPE_API_URL", async () => {
    const response = await proxyRequest(uiRequest("/api/v1/map?from=1&to=2"), ["map"], {
      PERISCOPE_API_URL: collectorUrl,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-collector")).toBe("yes");
    expect(await response.json()).toEqual({ echoed: "/api/v1/map?from=1&to=2" });
  });

  it("passes the collector's error status and body through", async () => {
    const response = await proxyRequest(uiRequest("/api/v1/missing"), ["missing"], {
      PERISCOPE_API_URL: collectorUrl,
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: "not_found", message: "no such thing" } });
  });

  it("forwards a POST body", async () => {
    const init = {
      method: "POST",
      body: '{"sampling":0.5}',
      headers: { "content-type": "application/json" },
    };
    await proxyRequest(uiRequest("/api/v1/config", init), ["config"], { PERISCOPE_API_URL: collectorUrl });
    expect(seen.at(-1)).toMatchObject({ method: "POST", url: "/api/v1/config", body: '{"sampling":0.5}' });
    expect(seen.at(-1)?.headers["content-type"]).toBe("application/json");
  });

  it("adds PERISCOPE_API_TOKEN unless the browser sent its own Authorization", async () => {
    const env = { PERISCOPE_API_URL: collectorUrl, PERISCOPE_API_TOKEN: "ui-server-token-0123456789" };
    await proxyRequest(uiRequest("/api/v1/services"), ["services"], env);
    expect(seen.at(-1)?.headers.authorization).toBe("Bearer ui-server-token-0123456789");
    const own = uiRequest("/api/v1/services", { headers: { authorization: "Bearer browser-token" } });
    await proxyRequest(own, ["services"], env);
    expect(seen.at(-1)?.headers.authorization).toBe("Bearer browser-token");
  });

  it("sends the signed-in user's token from the session cookie, and never the cookie itself", async () => {
    const env = { PERISCOPE_API_URL: collectorUrl, PERISCOPE_API_TOKEN: "ui-server-token-0123456789" };
    const signedIn = uiRequest("/api/v1/agents", {
      headers: { cookie: "theme=dark; periscope_session=psk_user-viewer-token" },
    });
    await proxyRequest(signedIn, ["agents"], env);
    expect(seen.at(-1)?.headers.authorization).toBe("Bearer psk_user-viewer-token");
    expect(seen.at(-1)?.headers.cookie).toBeUndefined();
  });

  it("sends no token of the UI's own when sign-in is required", async () => {
    const env = {
      PERISCOPE_API_URL: collectorUrl,
      PERISCOPE_API_TOKEN: "ui-server-token-0123456789",
      PERISCOPE_UI_SIGN_IN: "required",
    };
    await proxyRequest(uiRequest("/api/v1/agents"), ["agents"], env);
    expect(seen.at(-1)?.headers.authorization).toBeUndefined();
  });

  it("answers 502 in the API's error shape when the collector is down", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const response = await proxyRequest(uiRequest("/api/v1/map"), ["map"], { PERISCOPE_API_URL: deadUrl });
    expect(response.status).toBe(502);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("internal");
    expect(body.error.message).toContain("ECONNREFUSED");
  });

  it("refuses paths that climb out of /api/v1", async () => {
    const response = await proxyRequest(uiRequest("/api/v1/x"), ["..", "secrets"], {
      PERISCOPE_API_URL: collectorUrl,
    });
    expect(response.status).toBe(400);
    expect(seen.some((s) => s.url.includes("secrets"))).toBe(false);
  });
});

describe("upstreamUrl", () => {
  it("defaults to the collector on 127.0.0.1:8080", () => {
    const result = upstreamUrl(undefined, ["health"], "");
    expect(result.ok && result.url.href).toBe("http://127.0.0.1:8080/api/v1/health");
  });

  it("keeps a path prefix on the base and encodes segments", () => {
    const result = upstreamUrl("http://collector:9000/periscope/", ["services", "a b"], "?x=1");
    expect(result.ok && result.url.href).toBe("http://collector:9000/periscope/api/v1/services/a%20b?x=1");
  });

  it("reports a base that is not an http URL instead of throwing", () => {
    expect(upstreamUrl("not a url", ["map"], "")).toMatchObject({ ok: false });
    expect(upstreamUrl("file:///etc/passwd", ["map"], "")).toMatchObject({ ok: false });
  });
});
