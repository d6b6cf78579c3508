// generated.ts must be what the collector's OpenAPI document produces today: a route
// schema changed without regenerating fails here, naming the command that fixes it.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { GENERATED_PATH, renderApiTypes } from "../../scripts/renderApiTypes";

describe("generated API types", () => {
  it("match the collector's current OpenAPI document", async () => {
    const committed = await readFile(GENERATED_PATH, "utf8");
    const fresh = await renderApiTypes();
    expect(
      committed === fresh,
      "src/api/generated.ts is stale: run `pnpm --filter @periscope/ui run gen:api` and commit it",
    ).toBe(true);
  }, 60_000);

  it("cover the routes the UI calls", async () => {
    const text = await readFile(GENERATED_PATH, "utf8");
    for (const route of [
      "/api/v1/map",
      "/api/v1/requests",
      "/api/v1/agents",
      "/api/v1/agents/config",
      "/api/v1/names",
    ]) {
      expect(text).toContain(`"${route}": {`);
    }
  });
});
