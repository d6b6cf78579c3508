import { describe, expect, it } from "vitest";
import { formatCount } from "./formatCount";
import { formatEndpoint } from "./formatEndpoint";
import { formatLatency } from "./formatLatency";
import { formatClock, formatTime } from "./formatTime";

describe("formatLatency", () => {
  it.each([
    [0.42, "0.42 ms"],
    [3.25, "3.25 ms"],
    [12.75, "12.8 ms"],
    [125.4, "125 ms"],
    [1840, "1.84 s"],
    [90_000, "1.5 min"],
  ])("%s ms reads %s", (ms, expected) => {
    expect(formatLatency(ms)).toBe(expected);
  });

  it("shows a dash for values that are not latencies", () => {
    expect(formatLatency(Number.NaN)).toBe("—");
    expect(formatLatency(-1)).toBe("—");
  });
});

describe("formatCount", () => {
  it.each([
    [0, "0"],
    [950, "950"],
    [1000, "1k"],
    [1234, "1.2k"],
    [34_567, "35k"],
    [1_500_000, "1.5M"],
  ])("%s reads %s", (count, expected) => {
    expect(formatCount(count)).toBe(expected);
  });
});

describe("formatTime", () => {
  it("keeps milliseconds", () => {
    expect(formatTime("2026-05-01T10:14:59.123Z", "UTC")).toBe("10:14:59.123");
  });

  it("converts to the requested time zone", () => {
    expect(formatTime("2026-05-01T10:14:59.007Z", "Europe/Paris")).toBe("12:14:59.007");
  });

  it("shows a dash for missing or invalid times", () => {
    expect(formatTime("")).toBe("—");
    expect(formatTime("yesterday-ish")).toBe("—");
  });
});

describe("formatEndpoint", () => {
  const bare = { service: "", ip: "", port: 0, pid: 0, processName: "" };

  it("prefers the service name", () => {
    expect(formatEndpoint({ ...bare, service: "users", processName: "node", ip: "10.0.0.1" })).toBe("users");
  });

  it("falls back to the process name, then ip:port", () => {
    expect(formatEndpoint({ ...bare, processName: "nginx", ip: "10.0.0.1", port: 80 })).toBe("nginx");
    expect(formatEndpoint({ ...bare, ip: "10.0.0.1", port: 5432 })).toBe("10.0.0.1:5432");
    expect(formatEndpoint(bare)).toBe("unknown");
  });
});

describe("formatClock", () => {
  it("reads HH:MM:SS in 24-hour time", () => {
    expect(formatClock(Date.UTC(2026, 4, 1, 22, 5, 9, 999), "UTC")).toBe("22:05:09");
  });
});
