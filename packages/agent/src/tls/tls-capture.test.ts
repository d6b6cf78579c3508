import { describe, expect, it } from "vitest";
import { tlsScanIntervalMs } from "./tls-capture.js";

describe("tlsScanIntervalMs", () => {
  it("defaults to 5 s, accepts 0 to turn TLS capture off, and names the variable when invalid", () => {
    expect(tlsScanIntervalMs({})).toBe(5000);
    expect(tlsScanIntervalMs({ PERISCOPE_TLS_SCAN_INTERVAL_MS: "0" })).toBe(0);
    expect(() => tlsScanIntervalMs({ PERISCOPE_TLS_SCAN_INTERVAL_MS: "5s" })).toThrow(
      /PERISCOPE_TLS_SCAN_INTERVAL_MS/,
    );
    expect(() => tlsScanIntervalMs({ PERISCOPE_TLS_SCAN_INTERVAL_MS: "10" })).toThrow(/0 \(off\) or 100/);
  });
});
