import { describe, expect, it } from "vitest";
import {
  containerShown,
  formatBytes,
  groupAttributes,
  operationAndTarget,
  targetLabel,
} from "./detailFields";

describe("detailFields", () => {
  it("names the target by protocol", () => {
    expect(targetLabel("postgres")).toBe("Statement");
    expect(targetLabel("redis")).toBe("Command");
    expect(targetLabel("http")).toBe("Path");
  });

  it("splits headers from other attributes", () => {
    expect(
      groupAttributes({
        "http.response.header.content-type": "text/plain",
        "http.host": "a",
        "http.request.header.accept": "*/*",
      }),
    ).toEqual({
      requestHeaders: [["accept", "*/*"]],
      responseHeaders: [["content-type", "text/plain"]],
      other: [["http.host", "a"]],
    });
  });

  it("formats sizes", () => {
    expect(formatBytes(999)).toBe("999 B");
    expect(formatBytes(1200)).toBe("1.2 kB");
    expect(formatBytes(-1)).toBe("—");
  });

  it("does not repeat an operation the target already says", () => {
    expect(operationAndTarget("GET", "/checkout")).toBe("GET /checkout");
    expect(operationAndTarget("/demo.Orders/Place", "/demo.Orders/Place")).toBe("/demo.Orders/Place");
    expect(operationAndTarget("INSERT", "INSERT INTO t VALUES ($1)")).toBe("INSERT INTO t VALUES ($1)");
    expect(operationAndTarget("", "")).toBe("");
  });

  it("shortens a container id as docker ps does and keeps the full one", () => {
    const id = "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00";
    expect(containerShown({ pid: 7, containerId: id })).toEqual({
      kind: "id",
      short: "c0ffee00c0ff",
      full: id,
    });
    // An id in another form is shown whole rather than cut mid-word.
    expect(containerShown({ pid: 7, containerId: "docker-abc.scope" })).toEqual({
      kind: "id",
      short: "docker-abc.scope",
      full: "docker-abc.scope",
    });
    expect(containerShown({ pid: 7, containerId: "" })).toEqual({
      kind: "none",
      text: "none reported (not in a container)",
    });
    expect(containerShown({ pid: 0, containerId: "" })).toEqual({ kind: "none", text: "—" });
  });
});
