// What reaches storage when tokens are created and revoked: hashes, never secrets.
import { describe, expect, it } from "vitest";
import type { Storage } from "../storage/storage.js";
import { ApiTokenStore } from "./api-token-store.js";
import { hashToken } from "./token-hash.js";

/** Just enough of `api_tokens` FINAL semantics: the newest row per id wins. */
function memoryTokenTable(): Storage & { inserted: Record<string, unknown>[] } {
  const inserted: Record<string, unknown>[] = [];
  return {
    kind: "embedded",
    inserted,
    insertRows: async (_table, rows) => {
      inserted.push(...(rows as Record<string, unknown>[]));
    },
    select: async <Row>() => {
      const latest = new Map<unknown, Record<string, unknown>>();
      for (const row of inserted) latest.set(row.id, row);
      return [...latest.values()]
        .filter((row) => row.revoked !== true)
        .map((row) => ({ ...row, created_at_ms: row.created_at })) as Row[];
    },
    command: async () => {},
    isReachable: async () => true,
    close: async () => {},
  };
}

describe("ApiTokenStore", () => {
  it("stores only the SHA-256 of a token and authenticates by it", async () => {
    const table = memoryTokenTable();
    const store = new ApiTokenStore(table, "");
    const created = await store.create("ci", "editor");
    expect(JSON.stringify(table.inserted)).not.toContain(created.token);
    expect(table.inserted[0]?.token_hash).toBe(hashToken(created.token));
    expect(await store.authenticate(created.token)).toEqual({ name: "ci", role: "editor" });
    expect(await store.authenticate(`${created.token}x`)).toBeUndefined();
  });

  it("knows the bootstrap admin without storing it", async () => {
    const table = memoryTokenTable();
    const store = new ApiTokenStore(table, "bootstrap-secret-0123456789");
    expect(await store.authenticate("bootstrap-secret-0123456789")).toEqual({
      name: "bootstrap-admin",
      role: "admin",
    });
    expect(table.inserted).toEqual([]);
  });

  it("forgets a revoked token", async () => {
    const store = new ApiTokenStore(memoryTokenTable(), "");
    const created = await store.create("old", "viewer");
    expect(await store.revoke(created.id)).toBe(true);
    expect(await store.authenticate(created.token)).toBeUndefined();
    expect(await store.revoke(created.id)).toBe(false);
  });
});
