import { describe, expect, it } from "vitest";
import { visibleQuery } from "./pendingQuery";

describe("visibleQuery", () => {
  it("shows the router's query when nothing is pending", () => {
    expect(visibleQuery(undefined, "range=1h")).toBe("range=1h");
  });

  it("shows a setter's query at once, before the router commits it", () => {
    expect(visibleQuery({ base: "range=1h", next: "range=6h" }, "range=1h")).toBe("range=6h");
  });

  it("yields to the router once it moves: the push landed", () => {
    expect(visibleQuery({ base: "range=1h", next: "range=6h" }, "range=6h")).toBe("range=6h");
  });

  it("yields to the router once it moves: Back went elsewhere before the push landed", () => {
    expect(visibleQuery({ base: "range=1h", next: "range=6h" }, "")).toBe("");
  });
});
