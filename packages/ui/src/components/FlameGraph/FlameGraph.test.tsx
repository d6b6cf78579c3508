import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { type DiffTree, diffFlameTrees } from "../../flamegraph/diff";
import { checkoutAfter, checkoutBefore } from "../../flamegraph/fixtures";
import { FlameGraph, type FlameViewState } from "./FlameGraph";

const VIEW: FlameViewState = { orientation: "flame", search: "", focusPath: [], sandwich: "" };
const noop = () => {};

function render(view: Partial<FlameViewState>, graph?: Parameters<typeof FlameGraph>[0]["graph"]): string {
  return renderToStaticMarkup(
    <FlameGraph
      graph={graph ?? { kind: "single", tree: checkoutBefore() }}
      view={{ ...VIEW, ...view }}
      onChange={noop}
    />,
  );
}

/** Text of an element with this data-testid (first match), tags stripped. */
function text(html: string, testId: string): string {
  const start = html.indexOf(`data-testid="${testId}"`);
  if (start < 0) return "";
  const close = html.indexOf("</", start);
  return html.slice(html.indexOf(">", start) + 1, close).replace(/<[^>]+>/g, "");
}

describe("FlameGraph", () => {
  it("says what share of samples the search matched", () => {
    expect(text(render({ search: "walk" }), "flame-search-result")).toBe(
      "matched 10.0% of samples (3 frames)",
    );
    expect(text(render({ search: "/^main$/" }), "flame-search-result")).toBe(
      "matched 90.0% of samples (1 frame)",
    );
    expect(text(render({ search: "/(/" }), "flame-search-result")).toMatch(/^invalid regular expression/);
  });

  it("labels the canvas with the sample count and the zoomed frame, for screen readers", () => {
    const html = render({ focusPath: ["main", "processTicksAndRejections", "handleCheckout"] });
    expect(html).toContain('aria-label="Flame graph of 1,000 samples, zoomed to handleCheckout.');
    expect(html).toContain('aria-label="Zoom trail"');
    expect(html).toContain("Callers and callees of handleCheckout");
  });

  it("falls back to the whole graph when the zoomed frame is gone after a refresh", () => {
    expect(render({ focusPath: ["main", "gone"] })).toContain("zoomed to total.");
  });

  it("lists the top functions as a table", () => {
    const html = render({});
    expect(html).toContain("Top functions by self samples, of 1,000 samples");
    const firstRow = html.slice(html.indexOf('data-testid="flame-top-row"'));
    expect(firstRow).toMatch(/data-column="name">JS:\*isPrime</);
  });

  it("shows the sandwich of the chosen function, or says it is not in the graph", () => {
    expect(render({ sandwich: "JSON.stringify" })).toContain("called from 2 places");
    expect(render({ sandwich: "nope" })).toContain("is not in this graph.");
  });

  it("shows a diff with its legend and a table of changes instead of the top functions", () => {
    const diff = diffFlameTrees(checkoutBefore(), checkoutAfter()) as DiffTree;
    const html = render({}, { kind: "diff", diff });
    expect(html).toContain('data-kind="diff"');
    expect(html).toContain("regression (+20.0 pp at full red)");
    expect(html).toContain('data-testid="flame-diff-table"');
    expect(html).not.toContain('data-testid="flame-top-functions"');
  });
});
