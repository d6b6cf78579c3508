import { describe, expect, it } from "vitest";
import { captureView, viewHref } from "./sharedView";

const NOW = Date.parse("2026-12-08T10:00:00.000Z");

describe("captureView", () => {
  it("makes a relative range absolute and keeps the view's own parameters", () => {
    const capture = captureView(
      "/requests",
      new URLSearchParams("range=1h&service=shop%2Ffrontend&status=500"),
      NOW,
    );
    expect(capture.from).toBe("2026-12-08T09:00:00.000Z");
    expect(capture.to).toBe("2026-12-08T10:00:00.000Z");
    const search = new URLSearchParams(capture.view.search);
    expect(search.get("range")).toBeNull();
    expect(search.get("from")).toBe("2026-12-08T09:00:00.000Z");
    expect(search.get("to")).toBe("2026-12-08T10:00:00.000Z");
    expect(search.get("status")).toBe("500");
    expect(capture.view.path).toBe("/requests");
    expect(capture.freeze).toEqual({ service: "shop/frontend" });
  });

  it("takes the default range (last 15 minutes) when the URL has none, and keeps an absolute one as is", () => {
    expect(captureView("/", new URLSearchParams(), NOW).from).toBe("2026-12-08T09:45:00.000Z");
    const absolute = captureView(
      "/",
      new URLSearchParams("from=2026-11-01T00:00:00.000Z&to=2026-11-01T01:00:00.000Z&namespace=shop"),
      NOW,
    );
    expect([absolute.from, absolute.to]).toEqual(["2026-11-01T00:00:00.000Z", "2026-11-01T01:00:00.000Z"]);
    expect(absolute.freeze).toEqual({ namespace: "shop" });
  });
});

describe("viewHref", () => {
  it("restores the stored page and parameters", () => {
    expect(viewHref({ path: "/requests", search: "from=a&to=b" })).toBe("/requests?from=a&to=b");
    expect(viewHref({ path: "/", search: "" })).toBe("/");
  });

  it("refuses anything that would leave this origin or is not a view", () => {
    for (const view of [null, "x", {}, { path: "https://evil.example/" }, { path: "//evil.example/x" }]) {
      expect(viewHref(view), JSON.stringify(view)).toBeUndefined();
    }
  });
});
