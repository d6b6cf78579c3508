import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import slowMinute from "../../fixtures/heatmap-frontend-slow-minute.json";
import { type HeatmapBody, parseHeatmap } from "../../requests/heatmapScope";
import { buildHeatmap } from "../../requests/latencyHeatmap";
import { LatencyHeatmap } from "./LatencyHeatmap";

const grid = buildHeatmap(parseHeatmap(slowMinute) as HeatmapBody);
const html = renderToStaticMarkup(<LatencyHeatmap grid={grid} selection={undefined} onSelect={() => {}} />);
const attributes = (name: string) =>
  [...html.matchAll(new RegExp(`${name}="([^"]*)"`, "g"))].map((m) => m[1]);

describe("LatencyHeatmap", () => {
  it("draws one cell per non-empty count with the API's number on it", () => {
    expect(
      attributes("data-count")
        .map(Number)
        .sort((a, b) => b - a),
    ).toEqual(grid.cells.map((c) => c.count).sort((a, b) => b - a));
    expect(html).toContain('data-requests="750"');
    expect(html).toContain("1 request took 1,024–2,048 ms, ");
  });

  it("marks each slice with errors, however few", () => {
    expect(attributes("data-errors").slice(1)).toEqual(["2", "12", "1"]);
    expect(html).toContain("12 errors of 178 requests (6.7 %)");
  });

  it("labels the duration axis in round powers of two", () => {
    const labels = [...html.matchAll(/<text[^>]*text-anchor="end"[^>]*>([^<]+)<\/text>/g)].map((m) => m[1]);
    expect(labels).toEqual(expect.arrayContaining(["1 ms", "512 ms", "1 s", "2 s"]));
    expect(html).not.toContain("1.02 s");
  });
});
