import { describe, expect, it } from "vitest";
import {
  CONSECUTIVE_FAILURES,
  ConnectionHealth,
  DISCARDED_BYTES_PER_FAILURE,
  FAILURES_BEFORE_FIRST_MESSAGE,
} from "./connection-health.js";

describe("ConnectionHealth", () => {
  it("gives up sooner on a connection that never parsed than on one that did", () => {
    const fresh = new ConnectionHealth({ parserResyncs: 0 });
    for (let i = 1; i < FAILURES_BEFORE_FIRST_MESSAGE; i++) fresh.invalid();
    expect(fresh.disabled).toBe(false);
    fresh.invalid();
    expect(fresh.disabled).toBe(true);

    const proven = new ConnectionHealth({ parserResyncs: 0 });
    proven.message();
    for (let i = 1; i < CONSECUTIVE_FAILURES; i++) proven.invalid();
    expect(proven.disabled).toBe(false);
    proven.invalid();
    expect(proven.disabled).toBe(true);
  });

  it("forgives failures a message follows, and counts thrown-away bytes as failures", () => {
    const health = new ConnectionHealth({ parserResyncs: 0 });
    health.message();
    for (let round = 0; round < 10; round++) {
      for (let i = 1; i < CONSECUTIVE_FAILURES; i++) health.invalid();
      health.message();
    }
    expect(health.disabled).toBe(false);
    health.discarded(
      DISCARDED_BYTES_PER_FAILURE * (CONSECUTIVE_FAILURES - 1) + DISCARDED_BYTES_PER_FAILURE - 1,
    );
    expect(health.disabled).toBe(false);
    health.discarded(1);
    expect(health.disabled).toBe(true);
  });

  it("counts every resync in the pipeline-wide tally", () => {
    const counters = { parserResyncs: 0 };
    const health = new ConnectionHealth(counters);
    health.resynced();
    health.resynced();
    expect(counters.parserResyncs).toBe(2);
  });
});
