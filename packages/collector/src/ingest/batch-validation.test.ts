import { create, ExportRequestSchema, type RequestRecord } from "@periscope/proto";
import { describe, expect, it } from "vitest";
import { requestRecord } from "../fixtures/ingest-client.js";
import { validateExportRequest } from "./batch-validation.js";

const now = Date.parse("2025-01-10T12:00:00.000Z");
const good = requestRecord({
  side: "server",
  startMs: now - 1000,
  durationMs: 2,
  client: { ip: "10.0.0.1", port: 5000 },
  server: { service: "api", ip: "10.0.0.2", port: 80 },
});

function verdict(requests: RequestRecord[], agentId = "host-1") {
  return validateExportRequest(create(ExportRequestSchema, { agentId, requests }), now);
}

describe("validateExportRequest", () => {
  it("accepts a well-formed batch, and an empty one", () => {
    expect(verdict([good, good])).toEqual({ ok: true });
    expect(verdict([])).toEqual({ ok: true });
  });

  it("requires an agent id", () => {
    expect(verdict([good], "  ")).toEqual({ ok: false, reason: "agent_id is empty" });
  });

  it.each([
    ["protocol", { protocol: "" }, "protocol is empty"],
    ["side", { side: 0 }, "side must be SIDE_CLIENT or SIDE_SERVER"],
    ["zero time", { startTimeUnixNano: 0n }, "start_time_unix_nano is before the year 2000"],
    [
      "future time",
      { startTimeUnixNano: BigInt(now + 2 * 3600_000) * 1_000_000n },
      "start_time_unix_nano is more than an hour in the future",
    ],
    ["duration", { durationNano: 2n * 86_400n * 1_000_000_000n }, "duration_nano is longer than a day"],
    ["server endpoint", { server: undefined }, "server endpoint is missing"],
    [
      "client address",
      { client: { ...good.client, ip: "", service: "" } },
      "client endpoint needs an ip or a service",
    ],
  ] as const)("names the record with a bad %s", (_name, change, reason) => {
    const bad = { ...good, ...change } as RequestRecord;
    const result = verdict([good, bad]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(`requests[1]: ${reason}`);
  });

  it("caps the reason at five records and says how many more", () => {
    const bad = { ...good, protocol: "" } as RequestRecord;
    const result = verdict(Array.from({ length: 8 }, () => bad));
    expect(result).toEqual({
      ok: false,
      reason: expect.stringMatching(
        /^8 invalid record\(s\): requests\[0\].*requests\[4\]: protocol is empty \(and 3 more\)$/,
      ),
    });
  });
});
