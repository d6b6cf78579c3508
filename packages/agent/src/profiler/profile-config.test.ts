import { CollectionConfigSchema, create } from "@periscope/proto";
import { describe, expect, it } from "vitest";
import { toRuntimeConfig } from "../control/collector-control-stream.js";
import { defaultRuntimeConfig, parseRuntimeConfig } from "../control/runtime-config.js";
import { loadProfileConfig } from "./profile-config.js";

describe("profiler settings", () => {
  it("reads PERISCOPE_PROFILE_HZ and the interval, 97 Hz and 15 s by default, 0 meaning off", () => {
    expect(loadProfileConfig({})).toEqual({ hz: 97, intervalMs: 15_000 });
    expect(loadProfileConfig({ PERISCOPE_PROFILE_HZ: "0", PERISCOPE_PROFILE_INTERVAL_MS: "15000" })).toEqual({
      hz: 0,
      intervalMs: 15_000,
    });
  });

  it("refuses a rate above 499 Hz or not whole, and an interval above 15 s, naming the variable", () => {
    expect(() => loadProfileConfig({ PERISCOPE_PROFILE_HZ: "500" })).toThrow(/PERISCOPE_PROFILE_HZ=500/);
    expect(() => loadProfileConfig({ PERISCOPE_PROFILE_HZ: "9.5" })).toThrow(/PERISCOPE_PROFILE_HZ/);
    expect(() => loadProfileConfig({ PERISCOPE_PROFILE_INTERVAL_MS: "60000" })).toThrow(
      /PERISCOPE_PROFILE_INTERVAL_MS=60000: expected an integer from 1000 to 15000/,
    );
  });

  it("takes profileHz from the runtime config (local API), 0..499, absent meaning the agent's own", () => {
    expect(parseRuntimeConfig({}).profileHz).toBeUndefined();
    expect(parseRuntimeConfig({ profileHz: 0 }).profileHz).toBe(0);
    expect(parseRuntimeConfig({ profileHz: 499 }).profileHz).toBe(499);
    expect(() => parseRuntimeConfig({ profileHz: 500 })).toThrow(
      /^profileHz: must be an integer from 0 to 499/,
    );
  });

  it("takes profile_hz from the collector's config; unset keeps the agent's, out of range is named", () => {
    const current = defaultRuntimeConfig();
    const wire = (profileHz?: number) =>
      toRuntimeConfig(
        create(CollectionConfigSchema, { version: 1n, ...(profileHz === undefined ? {} : { profileHz }) }),
        current,
        4096,
      );
    expect(wire(0).config.profileHz).toBe(0);
    expect(wire(199).config.profileHz).toBe(199);
    expect(wire().config.profileHz).toBeUndefined();
    expect(wire(1000)).toMatchObject({ config: { profileHz: undefined }, unsupported: ["profile_hz: 1000"] });
  });
});
