import { describe, expect, it } from "vitest";
import { isActive } from "./navItems";

describe("isActive", () => {
  it("the map owns / and the map diff, nothing else", () => {
    expect(isActive("/", "/")).toBe(true);
    expect(isActive("/map-diff", "/")).toBe(true);
    expect(isActive("/requests", "/")).toBe(false);
  });

  it("a section owns its sub-pages but not look-alike prefixes", () => {
    expect(isActive("/services/checkout", "/services")).toBe(true);
    expect(isActive("/links", "/links")).toBe(true);
    expect(isActive("/linkshare", "/links")).toBe(false);
  });
});
