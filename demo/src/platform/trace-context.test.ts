import { describe, expect, it } from "vitest";
import {
  childOf,
  formatTraceparent,
  newTrace,
  outgoingContext,
  parseTraceparent,
  traceHeaders,
  withTraceContext,
} from "./trace-context.js";

// The example of W3C Trace Context §3.2.2.
const SPEC_EXAMPLE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

describe("parseTraceparent", () => {
  it("reads the spec's example", () => {
    expect(parseTraceparent(SPEC_EXAMPLE)).toEqual({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      spanId: "00f067aa0ba902b7",
      flags: "01",
    });
  });

  it("keeps tracestate to pass it on", () => {
    expect(parseTraceparent(SPEC_EXAMPLE, "congo=t61rcWkgMzE")?.state).toBe("congo=t61rcWkgMzE");
  });

  it.each([
    ["version ff", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"],
    ["version 00 with a fifth field", `${SPEC_EXAMPLE}-extra`],
    ["an all-zero trace id", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"],
    ["an all-zero span id", "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"],
    ["a short trace id", "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01"],
    ["upper-case hex", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01"],
    ["no header", undefined],
  ])("rejects %s (the service starts a new trace)", (_case, value) => {
    expect(parseTraceparent(value)).toBeUndefined();
  });

  it("accepts a future version's extra fields (§3.2.4)", () => {
    expect(parseTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-later")?.traceId).toBe(
      "4bf92f3577b34da6a3ce929d0e0e4736",
    );
  });
});

describe("propagation", () => {
  it("gives an outgoing call the served call's trace id and a span id of its own", () => {
    const served = parseTraceparent(SPEC_EXAMPLE);
    if (served === undefined) throw new Error("fixture must parse");
    const outgoing = withTraceContext(served, () => outgoingContext());
    expect(outgoing.traceId).toBe(served.traceId);
    expect(outgoing.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(outgoing.spanId).not.toBe(served.spanId);
    expect(parseTraceparent(formatTraceparent(outgoing))).toEqual(outgoing);
  });

  it("keeps the context across awaits inside the served call", async () => {
    const served = newTrace();
    const outgoing = await withTraceContext(served, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return outgoingContext();
    });
    expect(outgoing.traceId).toBe(served.traceId);
  });

  it("starts a new trace for a call made outside any served call", () => {
    const first = outgoingContext();
    const second = outgoingContext();
    expect(first.traceId).not.toBe(second.traceId);
  });

  it("sends tracestate only when the served call had one", () => {
    const served = { ...newTrace(), state: "periscope=demo" };
    expect(traceHeaders(childOf(served))).toEqual({
      traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/),
      tracestate: "periscope=demo",
    });
    expect(Object.keys(traceHeaders(newTrace()))).toEqual(["traceparent"]);
  });
});
