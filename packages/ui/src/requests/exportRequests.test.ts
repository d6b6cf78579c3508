import { describe, expect, it } from "vitest";
import { exportFileName, requestsToCsv, requestsToJson } from "./exportRequests";
import { parseRequestsPage } from "./parseRequestsApi";
import { SAMPLED_PAGE } from "./requests.fixtures";

const requests = parseRequestsPage(SAMPLED_PAGE)?.requests ?? [];

describe("requestsToCsv", () => {
  const lines = requestsToCsv(requests).split("\r\n");

  it("writes a header and one CRLF line per request", () => {
    expect(lines).toHaveLength(requests.length + 2);
    expect(lines[0]?.startsWith("id,time,protocol,side,client_service")).toBe(true);
    // Each end's container, full id, beside its pod.
    const header = lines[0]?.split(",") ?? [];
    const serverContainer = lines[1]?.split(",")[header.indexOf("server_container_id")];
    expect(header.indexOf("client_container_id")).toBe(header.indexOf("client_pod") + 1);
    expect(serverContainer).toBe(`${"a".repeat(60)}1006`);
    expect(lines.at(-1)).toBe("");
  });

  it("quotes fields with commas and defuses formula-like text", () => {
    expect(lines[1]).toContain('"/orders?id=1,2"');
    // =cmd|"/c calc" would run in a spreadsheet: prefixed with ' and quoted for its quotes.
    expect(lines[2]).toContain(`"'=cmd|""/c calc"""`);
  });

  it("keeps numbers and booleans as they are", () => {
    expect(lines[2]).toContain(",true,250,");
    expect(lines[2]?.endsWith(",4")).toBe(true);
  });
});

describe("requestsToJson", () => {
  it("round-trips the records with the query and time of export", () => {
    const text = requestsToJson(requests, { service: "demo-orders" }, new Date("2026-12-08T02:15:00Z"));
    const parsed = JSON.parse(text);
    expect(parsed.exportedAt).toBe("2026-12-08T02:15:00.000Z");
    expect(parsed.query).toEqual({ service: "demo-orders" });
    expect(parsed.requests).toEqual(requests);
  });
});

describe("exportFileName", () => {
  it("stamps the time without characters file systems refuse", () => {
    expect(exportFileName("csv", new Date("2026-12-08T02:15:00.123Z"))).toBe(
      "periscope-requests-20261208T021500Z.csv",
    );
  });
});
