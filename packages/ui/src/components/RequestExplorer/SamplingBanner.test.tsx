import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { SamplingBanner } from "./SamplingBanner";

const text = (html: string) => html.replace(/<[^>]+>/g, "").replaceAll("&#x27;", "'");

describe("SamplingBanner", () => {
  it("says by how much a sampled page was sampled, beside the exact metric counts", () => {
    const html = renderToStaticMarkup(
      <SamplingBanner
        sampling={{ sampled: true, records: 100, estimatedRequests: 750, maxSampleWeight: 20 }}
        exact={{ requests: 12_400, errors: 31, scope: "shop/frontend" }}
      />,
    );
    expect(html).toContain('data-testid="sampling-banner"');
    expect(text(html)).toContain(
      "The first page's 100 records stand for about 750 requests (≈ 1 in 7.5 on average, up to 1 in 20)",
    );
    expect(text(html)).toContain(
      "12k requests and 31 errors in this window for shop/frontend (metric series",
    );
  });

  it("shows no banner for an unsampled page, only the exact counts", () => {
    const html = renderToStaticMarkup(
      <SamplingBanner
        sampling={{ sampled: false, records: 3, estimatedRequests: 3, maxSampleWeight: 1 }}
        exact={{ requests: 3, errors: 0, scope: "all services" }}
      />,
    );
    expect(html).not.toContain("sampling-banner");
    expect(text(html)).toContain("3 requests and 0 errors in this window for all services");
  });

  it("renders nothing before anything is known", () => {
    expect(renderToStaticMarkup(<SamplingBanner sampling={undefined} exact={undefined} />)).toBe("");
  });
});
