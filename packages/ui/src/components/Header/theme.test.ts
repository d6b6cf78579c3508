import { describe, expect, it } from "vitest";
import { nextTheme, parseTheme } from "./theme";

describe("theme choice", () => {
  it("cycles system → light → dark → system", () => {
    expect(nextTheme("system")).toBe("light");
    expect(nextTheme("light")).toBe("dark");
    expect(nextTheme("dark")).toBe("system");
  });

  it("reads anything unknown as system", () => {
    expect(parseTheme("dark")).toBe("dark");
    expect(parseTheme(null)).toBe("system");
    expect(parseTheme("solarized")).toBe("system");
  });
});
