import { describe, expect, it } from "vitest";
import { FRAME_URL_CASES } from "../fixtures/frame-urls";
import { DEFAULT_FRAME, frameApiParams, frameOnly, parseFrame, parseInstant, writeFrame } from "./frameUrl";

describe("parseFrame", () => {
  for (const fixture of FRAME_URL_CASES) {
    it(fixture.name, () => {
      expect(parseFrame(new URLSearchParams(fixture.query))).toEqual(fixture.frame);
    });
  }
});

describe("writeFrame", () => {
  it("writes nothing for the default frame", () => {
    expect(writeFrame(new URLSearchParams(), DEFAULT_FRAME).toString()).toBe("");
  });

  it("removes a preset when it goes back to the default, keeping other views' keys", () => {
    const params = new URLSearchParams("range=1h&labels=p99");
    const out = writeFrame(params, { range: { kind: "relative", preset: "15m" } });
    expect(out.toString()).toBe("labels=p99");
    expect(params.toString()).toBe("range=1h&labels=p99");
  });

  it("an absolute range replaces a preset and writes ISO instants", () => {
    const out = writeFrame(new URLSearchParams("range=6h"), {
      range: { kind: "absolute", from: Date.UTC(2026, 11, 8, 2), to: Date.UTC(2026, 11, 8, 3) },
    });
    expect(out.get("range")).toBeNull();
    expect(out.get("from")).toBe("2026-12-08T02:00:00.000Z");
    expect(out.get("to")).toBe("2026-12-08T03:00:00.000Z");
  });

  it("a relative range drops both absolute ends", () => {
    const out = writeFrame(new URLSearchParams("from=1&to=2"), { range: { kind: "relative", preset: "1h" } });
    expect(out.toString()).toBe("range=1h");
  });

  it("sets and clears filters only when given", () => {
    const set = writeFrame(new URLSearchParams("range=1h"), { namespace: "shop" });
    expect(set.toString()).toBe("range=1h&namespace=shop");
    const cleared = writeFrame(new URLSearchParams("namespace=shop&service=api"), { namespace: undefined });
    expect(cleared.toString()).toBe("service=api");
  });

  it("round-trips every valid named case", () => {
    for (const fixture of FRAME_URL_CASES) {
      const written = writeFrame(new URLSearchParams(), fixture.frame);
      expect(parseFrame(written), fixture.name).toEqual(fixture.frame);
    }
  });
});

describe("parseInstant", () => {
  it("reads ISO and epoch ms, refuses the rest", () => {
    expect(parseInstant("2026-12-08T02:00:00Z")).toBe(Date.UTC(2026, 11, 8, 2));
    expect(parseInstant(String(Date.UTC(2026, 11, 8)))).toBe(Date.UTC(2026, 11, 8));
    expect(parseInstant("12/08")).toBeUndefined();
    expect(parseInstant("")).toBeUndefined();
    expect(parseInstant(null)).toBeUndefined();
  });
});

describe("frameApiParams and frameOnly", () => {
  it("gives the collector ISO bounds and the set filters", () => {
    const out = frameApiParams(
      { ...DEFAULT_FRAME, namespace: "shop" },
      new Date(Date.UTC(2026, 11, 8, 2)),
      new Date(Date.UTC(2026, 11, 8, 2, 15)),
    );
    expect(out.toString()).toBe(
      "from=2026-12-08T02%3A00%3A00.000Z&to=2026-12-08T02%3A15%3A00.000Z&namespace=shop",
    );
  });

  it("keeps the frame's keys and drops a view's own", () => {
    expect(frameOnly(new URLSearchParams("range=1h&edge=a%3Eb&service=api")).toString()).toBe(
      "range=1h&service=api",
    );
  });
});
