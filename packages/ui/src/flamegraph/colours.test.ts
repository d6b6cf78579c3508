import { describe, expect, it } from "vitest";
import { DEFAULT_PALETTE, diffColour, frameColour, frameKind } from "./colours";

describe("frameKind", () => {
  it.each([
    ["total", 0, "root"],
    ["namespace: shop", 3, "scope"],
    ["[k] do_epoll_wait", 3, "kernel"],
    ["JS:*scoreFraudRiskHotLoop /app/fraud.js:42", 3, "javascript"],
    ["LazyCompile:~handle file:///app/x.mjs:3", 3, "javascript"],
    ["libc.so.6+0x1a2b3", 3, "unsymbolized"],
    ["v8::internal::Heap::CollectGarbage", 3, "native"],
    // As the agent's profiler names them (seen in the demo's real profile).
    ["__rcu_read_unlock [k]", 3, "kernel"],
    ["Eval:~ node:internal/crypto/pbkdf2:1:1", 3, "javascript"],
    ["JS:*scoreFraudRiskHotLoop file:///work/main/demo/dist/fraud-score.js:12:38", 3, "javascript"],
    ["[unknown]", 3, "unsymbolized"],
    ["[no frame pointers]", 3, "unsymbolized"],
    ["_ZN4node5StartEiPPc", 3, "native"],
  ] as const)("%s is %s", (name, index, kind) => {
    expect(frameKind(name, index)).toBe(kind);
  });
});

describe("frameColour", () => {
  it("gives a function the same colour every time", () => {
    expect(frameColour("JSON.parse", 4, DEFAULT_PALETTE)).toBe(frameColour("JSON.parse", 9, DEFAULT_PALETTE));
  });
});

describe("diffColour", () => {
  it("is neutral below the threshold, red for more, green for less, strongest at the maximum", () => {
    expect(diffColour(0.001, 0.2, DEFAULT_PALETTE, 0.005)).toBe(DEFAULT_PALETTE.unchanged);
    expect(diffColour(0.2, 0.2, DEFAULT_PALETTE, 0.005)).toBe("rgb(220, 38, 38)");
    expect(diffColour(-0.2, 0.2, DEFAULT_PALETTE, 0.005)).toBe("rgb(22, 163, 74)");
    expect(diffColour(0.05, 0.2, DEFAULT_PALETTE, 0.005)).not.toBe(
      diffColour(0.2, 0.2, DEFAULT_PALETTE, 0.005),
    );
  });
});
