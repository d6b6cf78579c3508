// Roles, tokens and the loopback rule, through a real collector (TLS: tls.test.ts).
import { credentials, status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCollector } from "../collector.js";
import { ConfigError } from "../config.js";
import { type CollectorUnderTest, startCollectorUnderTest } from "../http/fixtures/running-collector.js";
import { exportOnce } from "./fixtures/grpc-export.js";

const ADMIN = "bootstrap-admin-token-0123456789";
const AGENT = "agent-token-abcdefghijklmnop";
const UI = "ui-editor-token-0123456789abcdef";
type ApiError = { error: { code: string; message: string } };
type Created = { id: string; token: string; role: string; name: string };

const link = { from: Date.now() - 60_000, to: Date.now(), view: { page: "map" } };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

let t: CollectorUnderTest;
const tokens: Record<"viewer" | "editor" | "admin", Created> = {} as never;

beforeAll(async () => {
  t = await startCollectorUnderTest({ adminToken: ADMIN, agentToken: AGENT, uiToken: UI });
  for (const role of ["viewer", "editor", "admin"] as const) {
    const created = await t.send<Created>(
      "POST",
      "/api/v1/tokens",
      { name: `${role} bot`, role },
      bearer(ADMIN),
    );
    expect(created.status).toBe(201);
    tokens[role] = created.body;
  }
});

afterAll(() => t?.close());

describe("API tokens and roles", () => {
  it("answers 401 without a token or with an unknown one, but health stays open", async () => {
    const missing = await t.get<ApiError>("/api/v1/requests");
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe("unauthorized");
    const wrong = await t.get<ApiError>("/api/v1/requests", { headers: bearer("psk_not-a-real-token") });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toMatch(/unknown or revoked/);
    expect((await t.get("/api/v1/health")).status).toBe(200);
  });

  it("tells each token who it is and its role (GET /api/v1/tokens/self), and refuses no token", async () => {
    for (const role of ["viewer", "editor", "admin"] as const) {
      const self = await t.get<{ name: string; role: string; authenticated: boolean }>(
        "/api/v1/tokens/self",
        {
          headers: bearer(tokens[role].token),
        },
      );
      expect(self).toEqual({ status: 200, body: { name: `${role} bot`, role, authenticated: true } });
    }
    expect((await t.get("/api/v1/tokens/self")).status).toBe(401);
  });

  it("lets a viewer read but not share links or manage tokens (403)", async () => {
    const viewer = bearer(tokens.viewer.token);
    expect((await t.get("/api/v1/requests", { headers: viewer })).status).toBe(200);
    expect((await t.get("/api/v1/agents", { headers: viewer })).status).toBe(200);
    const share = await t.send<ApiError>("POST", "/api/v1/links", link, viewer);
    expect(share.status).toBe(403);
    expect(share.body.error.message).toMatch(/needs the editor role; the token has viewer/);
    expect((await t.get("/api/v1/tokens", { headers: viewer })).status).toBe(403);
  });

  it("lets an editor share links but not manage tokens", async () => {
    const editor = bearer(tokens.editor.token);
    const share = await t.send<{ createdBy: string }>("POST", "/api/v1/links", link, editor);
    expect(share.status).toBe(201);
    expect(share.body.createdBy).toBe("editor bot");
    const mint = await t.send("POST", "/api/v1/tokens", { name: "x", role: "viewer" }, editor);
    expect(mint.status).toBe(403);
  });

  it("gives the UI's bootstrap token (PERISCOPE_UI_TOKEN) the editor role: reads and links, no tokens", async () => {
    const ui = bearer(UI);
    expect((await t.get("/api/v1/requests", { headers: ui })).status).toBe(200);
    expect((await t.get("/api/v1/map", { headers: ui })).status).toBe(200);
    const share = await t.send<{ id: string; createdBy: string }>("POST", "/api/v1/links", link, ui);
    expect(share.status).toBe(201);
    expect(share.body.createdBy).toBe("ui");
    expect((await t.get(`/api/v1/links/${share.body.id}`, { headers: ui })).status).toBe(200);
    const list = await t.get<ApiError>("/api/v1/tokens", { headers: ui });
    expect(list.status).toBe(403);
    expect(list.body.error.message).toMatch(/needs the admin role; the token has editor/);
    const mint = await t.send("POST", "/api/v1/tokens", { name: "escalate", role: "admin" }, ui);
    expect(mint.status).toBe(403);
    const revoke = await t.send("DELETE", `/api/v1/tokens/${tokens.admin.id}`, undefined, ui);
    expect(revoke.status).toBe(403);
  });

  it("lets an admin list tokens without their secrets and revoke one", async () => {
    const admin = bearer(tokens.admin.token);
    const listed = await t.get<{ tokens: { id: string; name: string; role: string }[] }>("/api/v1/tokens", {
      headers: admin,
    });
    expect(listed.status).toBe(200);
    expect(listed.body.tokens.map((token) => [token.name, token.role])).toEqual([
      ["viewer bot", "viewer"],
      ["editor bot", "editor"],
      ["admin bot", "admin"],
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(tokens.viewer.token);

    const revoked = await t.send("DELETE", `/api/v1/tokens/${tokens.viewer.id}`, undefined, admin);
    expect(revoked.status).toBe(204);
    expect((await t.get("/api/v1/requests", { headers: bearer(tokens.viewer.token) })).status).toBe(401);
    expect((await t.send("DELETE", `/api/v1/tokens/${tokens.viewer.id}`, undefined, admin)).status).toBe(404);
  });

  it("refuses a token with an unknown role", async () => {
    const response = await t.send<ApiError>(
      "POST",
      "/api/v1/tokens",
      { name: "x", role: "root" },
      bearer(ADMIN),
    );
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/role must be one of viewer, editor, admin/);
  });
});

describe("agent token on gRPC", () => {
  it("refuses Export without the agent token and accepts it with", async () => {
    const insecure = credentials.createInsecure();
    expect((await exportOnce(t.collector.grpcAddress, insecure)).code).toBe(status.UNAUTHENTICATED);
    expect((await exportOnce(t.collector.grpcAddress, insecure, "wrong-token-000000000")).code).toBe(
      status.UNAUTHENTICATED,
    );
    expect(await exportOnce(t.collector.grpcAddress, insecure, AGENT)).toMatchObject({ code: status.OK });
  });
});

describe("listening address policy", () => {
  it("refuses a non-loopback HTTP address without auth, naming the variables to set", async () => {
    const start = startCollector({
      httpHost: "0.0.0.0",
      httpPort: 0,
      grpcAddress: "127.0.0.1:0",
      dataDir: "/nonexistent",
    });
    await expect(start).rejects.toBeInstanceOf(ConfigError);
    await expect(start).rejects.toThrow(/PERISCOPE_ADMIN_TOKEN.*PERISCOPE_AUTH_DISABLED=true/);
  });

  it("refuses a UI token without an admin token, or equal to it", async () => {
    const alone = startCollector({
      httpPort: 0,
      grpcAddress: "127.0.0.1:0",
      dataDir: "/nonexistent",
      uiToken: UI,
    });
    await expect(alone).rejects.toBeInstanceOf(ConfigError);
    await expect(alone).rejects.toThrow(/PERISCOPE_UI_TOKEN needs PERISCOPE_ADMIN_TOKEN/);
    const same = startCollector({
      httpPort: 0,
      grpcAddress: "127.0.0.1:0",
      dataDir: "/nonexistent",
      adminToken: ADMIN,
      uiToken: ADMIN,
    });
    await expect(same).rejects.toThrow(/PERISCOPE_UI_TOKEN must differ from PERISCOPE_ADMIN_TOKEN/);
  });

  it("refuses a non-loopback gRPC address without an agent token", async () => {
    const start = startCollector({ httpPort: 0, grpcAddress: "0.0.0.0:0", dataDir: "/nonexistent" });
    await expect(start).rejects.toThrow(/PERISCOPE_AGENT_TOKEN/);
  });
});
