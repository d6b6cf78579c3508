import { describe, expect, it } from "vitest";
import { checkoutBefore, indexOf } from "./fixtures";
import { compileSearch, exactNameQuery, searchFlameTree } from "./search";

const tree = checkoutBefore();

function search(query: string) {
  const matcher = compileSearch(query);
  if (!matcher?.ok) throw new Error(`query ${query} did not compile`);
  return searchFlameTree(tree, matcher.test);
}

describe("search", () => {
  it("matches a substring whatever its case and sums the matched samples", () => {
    const result = search("json");
    // JSON.stringify (100) + JSON.parse (120) + JSON.stringify under walk (60).
    expect(result.matchCount).toBe(3);
    expect(result.matchedValue).toBe(280);
    expect(result.share).toBeCloseTo(0.28);
  });

  it("counts the samples of nested matches once (a recursive walk is 10 %, not 26 %)", () => {
    const result = search("walk");
    expect(result.matchCount).toBe(3);
    expect(result.matchedValue).toBe(100);
    expect(result.matched[indexOf(tree, "walk", 2)]).toBe(true);
  });

  it("counts a match under another match once, across different names", () => {
    // walk (100, holding JSON.stringify 60) + JSON.stringify (100) + JSON.parse (120).
    expect(search("/walk|JSON/").matchedValue).toBe(320);
  });

  it("reads /…/ as a regular expression, with flags", () => {
    expect(search("/^JS:/").matchedValue).toBe(350);
    expect(search("/^js:/i").matchedValue).toBe(350);
    expect(search("/^js:/").matchCount).toBe(0);
  });

  it("treats regex characters outside slashes as text", () => {
    expect(search("[k] do_").matchedValue).toBe(200);
    expect(search("v8::internal::Heap").matchedValue).toBe(100);
  });

  it("says why a regular expression is invalid", () => {
    const matcher = compileSearch("/(/");
    expect(matcher?.ok).toBe(false);
    expect(matcher?.ok === false && matcher.error).toMatch(/^invalid regular expression/);
  });

  it("has nothing to search for in blank input", () => {
    expect(compileSearch("   ")).toBeUndefined();
  });

  it("stays stable with the global flag (RegExp.test would otherwise keep lastIndex)", () => {
    expect(search("/walk/g").matchCount).toBe(3);
  });

  it("builds an exact-name query that regex characters in names do not break", () => {
    expect(exactNameQuery("v8::internal::Heap::CollectGarbage")).toBe(
      "/^v8::internal::Heap::CollectGarbage$/",
    );
    expect(search(exactNameQuery("JSON.stringify")).matchCount).toBe(2);
    expect(search(exactNameQuery("[k] do_epoll_wait")).matchedValue).toBe(200);
    expect(search(exactNameQuery("walk")).matchedValue).toBe(100);
  });
});
