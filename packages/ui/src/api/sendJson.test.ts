import { describe, expect, it } from "vitest";
import { sendJson } from "./sendJson";

function answer(status: number, body: unknown): typeof fetch {
  return (async () => new Response(JSON.stringify(body), { status })) as typeof fetch;
}

describe("sendJson", () => {
  it("a viewer's 403 says the token may only read", async () => {
    const result = await sendJson(
      "/api/v1/agents/config",
      "PUT",
      {},
      () => ({}),
      answer(403, { error: { code: "forbidden", message: "this token's role (viewer) cannot do this" } }),
    );
    expect(result).toEqual({
      ok: false,
      status: 403,
      message:
        "Not allowed: your token may only read, changing this needs an editor or admin (HTTP 403: this token's role (viewer) cannot do this)",
    });
  });

  it("a 400 carries the collector's reason", async () => {
    const result = await sendJson(
      "/x",
      "PUT",
      {},
      () => ({}),
      answer(400, { error: { code: "bad_request", message: "body/captureBytes must be <= 16384" } }),
    );
    expect(result.ok === false && result.message).toBe(
      "The collector refused the value (HTTP 400): body/captureBytes must be <= 16384",
    );
  });

  it("parses a success", async () => {
    const result = await sendJson(
      "/x",
      "PUT",
      {},
      (body) => body as { version: number },
      answer(200, { version: 3 }),
    );
    expect(result).toEqual({ ok: true, value: { version: 3 } });
  });
});
