import { describe, expect, it } from "vitest";
import { BOX_MARGIN, fitViewport } from "./fitViewport";

const box = (x: number, y: number) => ({ x, y, halfWidth: 50, halfHeight: 17 });

describe("fitViewport", () => {
  it("fits every node with its box margin inside the panel, centred", () => {
    const nodes = [box(0, 0), box(1000, 0), box(500, 400)];
    const view = fitViewport(nodes, 1200, 600, 48, 0.05, 3);
    if (!view) throw new Error("no viewport");
    const toScreen = (x: number, y: number) => ({
      x: x * view.zoom + view.pan.x,
      y: y * view.zoom + view.pan.y,
    });
    const topLeft = toScreen(-50 - BOX_MARGIN.side, -17 - BOX_MARGIN.top);
    const bottomRight = toScreen(1050 + BOX_MARGIN.side, 417 + BOX_MARGIN.bottom);
    expect(topLeft.x).toBeGreaterThanOrEqual(48 - 1e-9);
    expect(topLeft.y).toBeGreaterThanOrEqual(48 - 1e-9);
    expect(bottomRight.x).toBeLessThanOrEqual(1200 - 48 + 1e-9);
    expect(bottomRight.y).toBeLessThanOrEqual(600 - 48 + 1e-9);
    // The tighter axis touches its padding; the other is centred.
    expect(Math.min(topLeft.y - 48, topLeft.x - 48)).toBeCloseTo(0);
    expect(topLeft.x + bottomRight.x).toBeCloseTo(1200);
    expect(topLeft.y + bottomRight.y).toBeCloseTo(600);
  });

  it("does not blow two nodes up past the largest zoom, and centres them", () => {
    const view = fitViewport([box(0, 0), box(300, 0)], 1200, 600, 48, 0.05, 1.25);
    expect(view?.zoom).toBe(1.25);
    expect(view?.pan.x).toBeCloseTo(600 - 1.25 * 150);
  });

  it("has nothing to fit without nodes or without a panel", () => {
    expect(fitViewport([], 1200, 600, 48, 0.05, 3)).toBeUndefined();
    expect(fitViewport([box(0, 0)], 0, 0, 48, 0.05, 3)).toBeUndefined();
  });
});
