import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ApiErrorBanner } from "./ApiErrorBanner";

describe("ApiErrorBanner", () => {
  it("is absent while the API answers", () => {
    expect(renderToStaticMarkup(<ApiErrorBanner errors={[]} showingStaleData={false} />)).toBe("");
  });

  it("says the API is unreachable and lists each distinct failure once", () => {
    const message = "HTTP 502: collector unreachable at http://127.0.0.1:8080: ECONNREFUSED";
    const html = renderToStaticMarkup(
      <ApiErrorBanner errors={[message, message]} showingStaleData={false} />,
    );
    expect(html).toContain('role="alert"');
    expect(html).toContain("Cannot reach the Periscope API.");
    expect(html.split(message)).toHaveLength(2);
    expect(html).not.toContain("last data received");
  });

  it("warns that data on screen is stale when there is some", () => {
    const html = renderToStaticMarkup(<ApiErrorBanner errors={["HTTP 502"]} showingStaleData />);
    expect(html).toContain("Showing the last data received");
  });
});
