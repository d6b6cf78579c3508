import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ApiErrorBanner } from "./ApiErrorBanner";

describe("ApiErrorBanner", () => {
  it("is absent while the API answers", () => {
    expect(renderToStaticMarkup(<ApiErrorBanner errors={[]} />)).toBe("");
  });

  it("says the API is unreachable and lists each distinct failure once", () => {
    const message = "HTTP 502: collector unreachable at http://127.0.0.1:8080: ECONNREFUSED";
    const html = renderToStaticMarkup(<ApiErrorBanner errors={[message, message]} />);
    expect(html).toContain('role="alert"');
    expect(html).toContain("Cannot reach the Periscope API.");
    expect(html.split(message)).toHaveLength(2);
  });
});
