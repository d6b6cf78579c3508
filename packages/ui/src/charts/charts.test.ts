import { describe, expect, it } from "vitest";
import { brushToRange } from "../frame/brushZoom";
import { alignToBuckets, bucketGrid, isPartialBucket } from "./bucketing";
import { nearestIndex, toBrush } from "./pointer";
import { timeSeriesScales } from "./scales";
import { type ChartSeries, isEmpty, maxValue, segments } from "./series";
import { formatTick, formatValue, timeTickFormatter, tooltipTimeFormatter } from "./ticks";

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 11, 8, 2, 0, 0);

/** p99 with a quiet minute in the middle: buckets 2 and 3 had no requests. */
const P99_WITH_QUIET_MINUTES: ChartSeries = {
  key: "p99",
  label: "p99",
  color: "red",
  points: [
    { t: T0, v: 120 },
    { t: T0 + MINUTE, v: 140 },
    { t: T0 + 2 * MINUTE, v: null },
    { t: T0 + 3 * MINUTE, v: null },
    { t: T0 + 4 * MINUTE, v: 90 },
    { t: T0 + 5 * MINUTE, v: null },
    { t: T0 + 6 * MINUTE, v: 300 },
    { t: T0 + 7 * MINUTE, v: 310 },
  ],
};

describe("segments (gap handling)", () => {
  it("breaks the line at every gap and keeps a lone point as a run of one", () => {
    const runs = segments(P99_WITH_QUIET_MINUTES.points);
    expect(runs.map((run) => run.map((point) => point.v))).toEqual([[120, 140], [90], [300, 310]]);
  });

  it("treats NaN as a gap, never as a value", () => {
    expect(
      segments([
        { t: 1, v: Number.NaN },
        { t: 2, v: 3 },
      ]),
    ).toEqual([[{ t: 2, v: 3 }]]);
  });

  it("says a series of gaps only is empty, and zeros are not", () => {
    expect(isEmpty([{ ...P99_WITH_QUIET_MINUTES, points: [{ t: 1, v: null }] }])).toBe(true);
    expect(isEmpty([{ ...P99_WITH_QUIET_MINUTES, points: [{ t: 1, v: 0 }] }])).toBe(false);
    expect(maxValue([P99_WITH_QUIET_MINUTES])).toBe(310);
  });
});

describe("bucketing", () => {
  it("aligns the grid to the step, as the collector's buckets are", () => {
    const grid = bucketGrid(T0 + 30_000, T0 + 3 * MINUTE + 1, MINUTE);
    expect(grid).toEqual([T0, T0 + MINUTE, T0 + 2 * MINUTE, T0 + 3 * MINUTE]);
    expect(bucketGrid(T0, T0, MINUTE)).toEqual([]);
  });

  it("sums samples per bucket and leaves empty buckets as gaps unless told they are zero", () => {
    const samples = [
      { t: T0 + 1_000, v: 2 },
      { t: T0 + 59_000, v: 3 },
      { t: T0 + 2 * MINUTE + 5, v: 7 },
      { t: T0 - 1, v: 100 },
    ];
    expect(alignToBuckets(samples, T0, T0 + 3 * MINUTE, MINUTE).map((p) => p.v)).toEqual([5, null, 7]);
    expect(alignToBuckets(samples, T0, T0 + 3 * MINUTE, MINUTE, { emptyValue: 0 }).map((p) => p.v)).toEqual([
      5, 0, 7,
    ]);
    expect(
      alignToBuckets(samples, T0, T0 + 3 * MINUTE, MINUTE, { combine: Math.max }).map((p) => p.v),
    ).toEqual([3, null, 7]);
  });

  it("knows the bucket still filling", () => {
    expect(isPartialBucket(T0, MINUTE, T0 + 30_000)).toBe(true);
    expect(isPartialBucket(T0, MINUTE, T0 + MINUTE)).toBe(false);
  });
});

describe("scales", () => {
  const box = { width: 600, height: 200, margin: { top: 10, right: 10, bottom: 20, left: 50 } };

  it("spans the frame, not the data, and starts y at zero with a nice top", () => {
    const { x, y, plot } = timeSeriesScales(
      { fromMs: T0, toMs: T0 + 10 * MINUTE },
      [P99_WITH_QUIET_MINUTES],
      box,
    );
    expect(x(new Date(T0))).toBe(plot.left);
    expect(x(new Date(T0 + 10 * MINUTE))).toBe(plot.right);
    expect(y.domain()).toEqual([0, 400]);
    expect(y(0)).toBe(plot.bottom);
  });

  it("keeps a tiny series from filling the height (floor on the top)", () => {
    const tiny: ChartSeries = { ...P99_WITH_QUIET_MINUTES, points: [{ t: T0, v: 0.004 }] };
    expect(timeSeriesScales({ fromMs: T0, toMs: T0 + MINUTE }, [tiny], box, 0.01).y.domain()).toEqual([
      0, 0.01,
    ]);
    expect(timeSeriesScales({ fromMs: T0, toMs: T0 + MINUTE }, [], box).y.domain()).toEqual([0, 1]);
  });
});

describe("ticks", () => {
  it("formats time ticks by span, in the zone given", () => {
    expect(timeTickFormatter(15 * MINUTE, "UTC")(T0 + 5 * MINUTE)).toBe("02:05");
    expect(timeTickFormatter(2 * MINUTE, "UTC")(T0 + 30_000)).toBe("02:00:30");
    expect(timeTickFormatter(7 * 24 * 60 * MINUTE, "UTC")(T0)).toBe("Tue 8, 02:00");
    expect(timeTickFormatter(30 * 24 * 60 * MINUTE, "UTC")(T0)).toBe("8 Dec");
    expect(tooltipTimeFormatter("UTC")(T0 + 5_000)).toBe("8 Dec, 02:00:05");
  });

  it("speaks each unit", () => {
    expect(formatValue(12.345, "rate")).toBe("12 req/s");
    expect(formatValue(0.35, "rate")).toBe("0.35 req/s");
    expect(formatValue(0.001, "rate")).toBe("<0.01 req/s");
    expect(formatValue(0, "rate")).toBe("0 req/s");
    expect(formatValue(0.045, "ratio")).toBe("4.5 %");
    expect(formatValue(0.25, "ratio")).toBe("25 %");
    expect(formatValue(120, "ms")).toBe("120 ms");
    expect(formatValue(null, "ms")).toBe("—");
    expect(formatTick(0.05, "ratio")).toBe("5%");
    expect(formatTick(1500, "ms")).toBe("1.5 s");
    expect(formatTick(0.5, "ms")).toBe("0.5 ms");
    expect(formatTick(2500, "rate")).toBe("2.5k/s");
  });
});

describe("pointer", () => {
  it("finds the nearest bucket for the tooltip", () => {
    expect(nearestIndex(P99_WITH_QUIET_MINUTES.points, T0 + 2.4 * MINUTE)).toBe(2);
    expect(nearestIndex(P99_WITH_QUIET_MINUTES.points, T0 + 2.6 * MINUTE)).toBe(3);
    expect(nearestIndex([], T0)).toBe(-1);
  });

  it("hands a drag over as a plot-relative brush span whose range the frame's rule computes", () => {
    const plot = { left: 50, right: 650 };
    const domain = { fromMs: T0, toMs: T0 + 10 * MINUTE };
    const brush = toBrush(350, 170, plot, domain);
    expect(brush).toEqual({
      startPx: 300,
      endPx: 120,
      widthPx: 600,
      domainFrom: T0,
      domainTo: T0 + 10 * MINUTE,
    });
    // One pixel is one second here: the frame's brushToRange picks 2:02–2:05.
    expect(brushToRange(brush)).toEqual({ kind: "absolute", from: T0 + 120_000, to: T0 + 300_000 });
  });
});
