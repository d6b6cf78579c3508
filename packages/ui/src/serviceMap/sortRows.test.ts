import { describe, expect, it } from "vitest";
import { nextSort, sortRows } from "./sortRows";

const rows = [
  { id: "b", name: "billing/charge", rate: 4.6 },
  { id: "a", name: "shop/cart", rate: 5 },
  { id: "c", name: "orders/stock", rate: 5 },
];
const value = (row: (typeof rows)[0], key: "name" | "rate") => row[key];

describe("table sorting", () => {
  it("numbers numerically, ties by id ascending either way; text alphabetically", () => {
    expect(sortRows(rows, { key: "rate", direction: "descending" }, value).map((r) => r.id)).toEqual([
      "a",
      "c",
      "b",
    ]);
    expect(sortRows(rows, { key: "name", direction: "ascending" }, value).map((r) => r.id)).toEqual([
      "b",
      "c",
      "a",
    ]);
  });

  it("clicking the sorted column flips it; a new figure column starts descending", () => {
    expect(nextSort({ key: "rate", direction: "descending" }, "rate", true)).toEqual({
      key: "rate",
      direction: "ascending",
    });
    expect(nextSort({ key: "name", direction: "ascending" }, "rate", true)).toEqual({
      key: "rate",
      direction: "descending",
    });
    expect(nextSort({ key: "rate", direction: "ascending" }, "name", false)).toEqual({
      key: "name",
      direction: "ascending",
    });
  });
});
