import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import demoNamespaces from "../../fixtures/map-demo-namespaces.json";
import { filterMap } from "../../serviceMap/mapFilters";
import { mapModelOf } from "../../serviceMap/mapModel";
import { MapLegend } from "./MapLegend";
import { MapTable } from "./MapTable";

const model = mapModelOf(demoNamespaces);
if (!model) throw new Error("fixture is not a map response");

describe("map legend and table markup", () => {
  it("the legend names the colour mode, its thresholds and the label mode", () => {
    const html = renderToStaticMarkup(<MapLegend colorMode="latency" labelMode="errors" />);
    expect(html).toContain("Colour: p99 latency");
    expect(html).toContain("&gt; 200 ms");
    expect(html).toContain("Edge labels: error %");
  });

  it("the table lists every service and call, sorted by rate, with sortable headers", () => {
    const html = renderToStaticMarkup(
      <MapTable map={filterMap(model, {})} colorMode="errors" onSelect={() => undefined} />,
    );
    expect(html.match(/data-testid="map-table-nodes-row"/g)).toHaveLength(model.nodes.length);
    expect(html.match(/data-testid="map-table-edges-row"/g)).toHaveLength(model.edges.length);
    expect(html).toContain('aria-sort="descending"');
    expect(html).toContain(`Calls (${model.edges.length})`);
    // Busiest call first: loadgen → frontend at 10 req/s, 8% errors, so red.
    const firstEdgeRow = /<tr data-tone="(\w+)" data-testid="map-table-edges-row">(.*?)<\/tr>/.exec(html);
    expect(firstEdgeRow?.[1]).toBe("bad");
    expect(firstEdgeRow?.[2]).toContain("shop/loadgen");
  });
});
