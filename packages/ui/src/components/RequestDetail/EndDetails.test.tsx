import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { EndpointView } from "../../requests/requestTypes";
import { EndDetails } from "./EndDetails";

const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
const container = "3f4e5d6c7b8a99887766554433221100ffeeddccbbaa00112233445566778899";
const checkout: EndpointView = {
  service: "shop/frontend",
  ip: "10.0.0.5",
  port: 8080,
  pid: 4242,
  processName: "node",
  containerId: container,
  namespace: "shop",
  workload: "frontend",
  pod: "frontend-7d9f",
  node: "worker-1",
};

describe("EndDetails", () => {
  it("shows the container's short id with the full id in its tooltip and a copy button", () => {
    const html = renderToStaticMarkup(<EndDetails title="Server" end={checkout} />);
    expect(text(html)).toContain("Container 3f4e5d6c7b8a Copy");
    expect(html).toContain(`title="${container}"`);
    expect(html).toContain(`data-container-id="${container}"`);
    expect(html).toContain('aria-label="Copy the server&#x27;s full container id"');
    expect(text(html)).toContain("Pod frontend-7d9f");
    expect(text(html)).toContain("Node worker-1");
  });

  it("says no container was reported for a traced process outside one, and a dash for an untraced end", () => {
    const host = renderToStaticMarkup(<EndDetails title="Client" end={{ ...checkout, containerId: "" }} />);
    expect(text(host)).toContain("Container none reported (not in a container)");
    expect(host).not.toContain("Copy");
    const untraced = renderToStaticMarkup(
      <EndDetails title="Client" end={{ ...checkout, containerId: "", pid: 0 }} />,
    );
    expect(text(untraced)).toContain("Process not traced on this end Container —");
  });
});
