import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ServiceMapCanvas } from "./ServiceMapCanvas";

// Server rendering: the markup the page first shows, before Cytoscape mounts in the
// browser (the live graph itself is covered by applyElementDiff.test.ts and e2e/).
describe("ServiceMapCanvas", () => {
  it("renders the map container with empty node and edge lists", () => {
    const html = renderToStaticMarkup(<ServiceMapCanvas elements={undefined} />);
    expect(html).toContain('data-testid="service-map"');
    expect(html).toContain('data-nodes="[]"');
    expect(html).toContain('data-edges="[]"');
    expect(html).toContain("Loading service map…");
  });

  it("says it is waiting for the API when the first poll failed", () => {
    const html = renderToStaticMarkup(<ServiceMapCanvas elements={undefined} unreachable />);
    expect(html).toContain("No map yet — waiting for the Periscope API.");
  });

  it("tells the user what to check when the map is empty, or which filter emptied it", () => {
    const html = renderToStaticMarkup(<ServiceMapCanvas elements={[]} />);
    expect(html).toContain("No traffic yet — is the agent running?");
    expect(html).not.toContain("Loading service map…");
    const filtered = renderToStaticMarkup(
      <ServiceMapCanvas elements={[]} emptyBecause="Nothing unhealthy in this range." />,
    );
    expect(filtered).toContain("Nothing unhealthy in this range.");
  });
});
