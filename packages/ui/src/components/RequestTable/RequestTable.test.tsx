import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { parseRequests } from "../../api/parseRequests";
import requestsDemo from "../../fixtures/requests-demo.json";
import { RequestTable } from "./RequestTable";
import { statusText, statusTone } from "./statusTone";

const requests = parseRequests(requestsDemo) ?? [];

/** The text of each cell of each request row, as a user reads the table. */
function rows(html: string): Record<string, string>[] {
  const doc = html.split('data-testid="request-row"').slice(1);
  return doc.map((row) => {
    const cells: Record<string, string> = {};
    for (const match of row.matchAll(/data-column="(\w+)"[^>]*>(.*?)<\/td>/g)) {
      cells[match[1] as string] = (match[2] as string).replace(/<[^>]+>/g, "");
    }
    return cells;
  });
}

describe("RequestTable", () => {
  it("shows one row per request with time, peers, method, path, status and latency", () => {
    const html = renderToStaticMarkup(<RequestTable requests={requests} timeZone="UTC" />);
    expect(rows(html)).toEqual([
      {
        time: "10:14:59.123",
        client: "127.0.0.1:51234",
        server: "demo-frontend",
        method: "GET",
        path: "/checkout",
        status: "200",
        latency: "3.25 ms",
      },
      {
        time: "10:14:59.120",
        client: "demo-orders",
        server: "demo-users",
        method: "POST",
        path: "/users/42/reserve",
        status: "503",
        latency: "1.25 s",
      },
    ]);
  });

  it("marks the side that recorded each request", () => {
    const html = renderToStaticMarkup(<RequestTable requests={requests} timeZone="UTC" />);
    const [first, second] = html.split('data-testid="request-row"').slice(1);
    expect(first).toMatch(/data-column="server"><span class="observer-mark"/);
    expect(first).not.toMatch(/data-column="client"><span class="observer-mark"/);
    expect(second).toMatch(/data-column="client"><span class="observer-mark"/);
  });

  it("colours statuses by class", () => {
    const html = renderToStaticMarkup(<RequestTable requests={requests} timeZone="UTC" />);
    expect(html).toContain('class="status status--success">200<');
    expect(html).toContain('class="status status--server-error">503<');
  });

  it("tells the user what to check when there is no traffic", () => {
    const html = renderToStaticMarkup(<RequestTable requests={[]} />);
    expect(html).toContain("No requests yet — is the agent running?");
    expect(html).not.toContain("request-row");
  });

  it("shows a loading line before the first response", () => {
    expect(renderToStaticMarkup(<RequestTable requests={undefined} />)).toContain("Loading requests…");
  });
});

describe("statusTone and statusText", () => {
  it.each([
    ["http", 200, false, "success", "200"],
    ["http", 304, false, "redirect", "304"],
    ["http", 404, false, "client-error", "404"],
    ["http2", 503, true, "server-error", "503"],
    ["http", 0, true, "server-error", "error"],
    ["http", 0, false, "unknown", "—"],
    ["grpc", 0, false, "success", "OK"],
    ["grpc", 14, true, "server-error", "14 UNAVAILABLE"],
    ["grpc", -1, true, "server-error", "no status"],
    ["dns", 0, false, "success", "NOERROR"],
    ["dns", 3, true, "server-error", "NXDOMAIN"],
    // sqlstateStatus("42P01") is 42; ("2F005") is 100 + parseInt("2F", 36).
    ["postgres", 42, true, "server-error", "SQLSTATE 42…"],
    ["postgres", 100 + 87, true, "server-error", "SQLSTATE 2F…"],
    ["postgres", 8, true, "server-error", "SQLSTATE 08…"],
    ["postgres", 0, false, "success", "OK"],
    ["mysql", 1146, true, "server-error", "1146"],
    ["redis", 0, true, "server-error", "error"],
    ["amqp", 200, false, "success", "200"],
    ["kafka", 0, false, "success", "OK"],
  ] as const)("%s status %s error=%s is %s, reads %s", (protocol, status, error, tone, text) => {
    expect(statusTone({ protocol, status, error })).toBe(tone);
    expect(statusText({ protocol, status, error })).toBe(text);
  });
});
