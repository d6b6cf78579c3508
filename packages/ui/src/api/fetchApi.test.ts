import { describe, expect, it } from "vitest";
import requestsDemo from "../fixtures/requests-demo.json";
import { fetchApi } from "./fetchApi";
import { parseRequests } from "./parseRequests";

const respond = (body: string, status = 200): typeof fetch =>
  (async () =>
    new Response(body, { status, headers: { "content-type": "application/json" } })) as typeof fetch;

describe("fetchApi", () => {
  it("returns the parsed body on success", async () => {
    const result = await fetchApi(
      "/api/v1/requests",
      parseRequests,
      undefined,
      respond(JSON.stringify(requestsDemo)),
    );
    expect(result.ok && result.value.map((r) => r.target)).toEqual(["/checkout", "/users/42/reserve"]);
  });

  it("surfaces the API's error message with the HTTP status", async () => {
    const body = JSON.stringify({
      error: { code: "internal", message: "collector unreachable at http://127.0.0.1:8080: ECONNREFUSED" },
    });
    const result = await fetchApi("/api/v1/requests", parseRequests, undefined, respond(body, 502));
    expect(result).toEqual({
      ok: false,
      message: "HTTP 502: collector unreachable at http://127.0.0.1:8080: ECONNREFUSED",
    });
  });

  it("reports a body that is not JSON, or JSON of the wrong shape", async () => {
    expect(await fetchApi("/x", parseRequests, undefined, respond("<html>", 200))).toEqual({
      ok: false,
      message: "HTTP 200: response is not JSON",
    });
    expect(await fetchApi("/x", parseRequests, undefined, respond('{"nodes":[]}'))).toEqual({
      ok: false,
      message: "unexpected response shape",
    });
  });

  it("reports a network failure instead of throwing", async () => {
    const failing = (async () => {
      throw new TypeError("fetch failed");
    }) as typeof fetch;
    expect(await fetchApi("/x", parseRequests, undefined, failing)).toEqual({
      ok: false,
      message: "network error: fetch failed",
    });
  });
});
