import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Panel } from "./Panel";
import type { Resource } from "./useApiResource";

const render = (resource: Resource<string[]>) =>
  renderToStaticMarkup(
    <Panel
      id="p"
      title="Endpoints"
      resource={resource}
      isEmpty={(rows) => rows.length === 0}
      emptyText="Nothing here."
    >
      {(rows) => (
        <ul>
          {rows.map((row) => (
            <li key={row}>{row}</li>
          ))}
        </ul>
      )}
    </Panel>,
  );

const ready = (data: string[], error?: string): Resource<string[]> => ({
  status: "ready",
  data,
  url: "/api/v1/endpoints",
  refreshing: false,
  error,
});

describe("Panel states", () => {
  it("says it is loading before the first answer", () => {
    expect(render({ status: "loading" })).toContain('data-state="loading"');
  });

  it("shows a failure before any data as an alert with the API's message", () => {
    const html = render({ status: "error", message: "HTTP 400: from must be earlier than to" });
    expect(html).toContain('role="alert"');
    expect(html).toContain("HTTP 400: from must be earlier than to");
    expect(html).not.toContain("<ul>");
  });

  it("says when there is nothing to show, and shows the rows when there is", () => {
    expect(render(ready([]))).toContain("Nothing here.");
    const html = render(ready(["GET /cart/{id}"]));
    expect(html).toContain("<li>GET /cart/{id}</li>");
    expect(html).not.toContain("data-state");
  });

  it("keeps the last good data on screen when a refresh fails, and says so", () => {
    const html = render(ready(["GET /"], "network error: fetch failed"));
    expect(html).toContain("<li>GET /</li>");
    expect(html).toContain("the latest update failed: network error: fetch failed");
  });
});
