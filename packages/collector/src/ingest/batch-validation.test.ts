import {
  bucketIndex,
  create,
  type ExponentialHistogram,
  ExportRequestSchema,
  LATENCY_SCALE,
  type MetricSeries,
  type RequestRecord,
  SeriesKind,
  Side,
} from "@periscope/proto";
import { describe, expect, it } from "vitest";
import { requestRecord } from "../fixtures/ingest-client.js";
import { metricSeries } from "../fixtures/metric-series.js";
import { seriesRejection, validateExportRequest } from "./batch-validation.js";

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
    ["sample weight", { sampleWeight: 0.5 }, "sample_weight must be 0 or at least 1"],
    ["sample weight", { sampleWeight: Number.NaN }, "sample_weight must be 0 or at least 1"],
    ["server endpoint", { server: undefined }, "server endpoint is missing"],
    [
      "client address",
      { client: { ...good.client, ip: "", service: "" } },
      "client endpoint needs an ip, a service or a host name",
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

describe("seriesRejection", () => {
  const series = metricSeries({
    kind: "edge",
    side: "client",
    startMs: now - 5000,
    durationsMs: [1, 2, 3],
    client: { ip: "10.0.0.1", port: 5000 },
    server: { service: "api", ip: "10.0.0.2", port: 80 },
  });
  const latency = series.latency as ExponentialHistogram;
  const withLatency = (change: Partial<ExponentialHistogram>) => ({ latency: { ...latency, ...change } });

  it("accepts a well-formed series, an agent's catch-all without ends, and an empty one without a histogram", () => {
    expect(seriesRejection(series, now)).toBeUndefined();
    expect(seriesRejection({ ...series, client: undefined, server: undefined }, now)).toBeUndefined();
    expect(seriesRejection({ ...series, count: 0n, latency: undefined }, now)).toBeUndefined();
  });

  it("accepts an end with no address that the agent named (an address block, a DNS name, {overflow})", () => {
    const noAddress = {
      ...series.client,
      ip: "",
      port: 0,
      service: "",
      processName: "",
    } as typeof series.client;
    expect(seriesRejection({ ...series, client: noAddress, clientHost: "{overflow}" }, now)).toBeUndefined();
    expect(
      seriesRejection({ ...series, server: noAddress, serverHost: "api.example.com" }, now),
    ).toBeUndefined();
  });

  it.each([
    ["unknown_kind", { kind: SeriesKind.UNSPECIFIED }],
    ["unknown_side", { side: Side.UNSPECIFIED }],
    ["unknown_protocol", { protocol: "http1" }],
    ["bad_time", { startTimeUnixNano: 0n }],
    ["bad_time", { intervalNano: 120n * 1_000_000_000n }],
    ["bad_endpoint", { server: { ...series.server, port: 70_000 } }],
    ["bad_endpoint", { client: { ...series.client, ip: "", service: "" } }],
    ["field_too_long", { target: "x".repeat(1025) }],
    ["errors_above_count", { errors: 4n }],
    // A negative int64 sent as uint64.
    ["value_too_large", { requestBytes: 2n ** 64n - 5n }],
    ["value_too_large", { count: 2n ** 53n }],
    ["histogram_total", { count: 4n }],
    ["histogram_total", { latency: undefined }],
    ["histogram_scale", withLatency({ scale: LATENCY_SCALE - 1 })],
    ["histogram_scale", withLatency({ scale: 21 })],
    ["histogram_range", withLatency({ offset: -5 })],
    ["histogram_range", withLatency({ offset: 64 * 32 })],
    ["value_too_large", withLatency({ bucketCounts: [2n ** 63n] })],
  ] as const)("rejects %s (%o)", (reason, change) => {
    const bad = { ...series, ...change } as MetricSeries;
    expect(seriesRejection(bad, now)).toEqual({ reason, detail: expect.any(String) });
  });

  it("reads a finer histogram, down to the stored scale", () => {
    const fine = metricSeries({
      kind: "endpoint",
      side: "server",
      startMs: now - 5000,
      durationsMs: [1],
      server: { service: "api", ip: "10.0.0.2", port: 80 },
    });
    const index = bucketIndex(1_000_000, 8);
    const finer = {
      ...fine,
      latency: { ...(fine.latency as ExponentialHistogram), scale: 8, offset: index },
    };
    expect(seriesRejection(finer, now)).toBeUndefined();
  });
});
