// The record budget and the self-capture switch: validated in the runtime
// config, mapped from the collector's CollectionConfig, and Periscope's own
// processes merged into the kernel's pid filter unless captureSelf.
import { CollectionConfigSchema, create } from "@periscope/proto";
import { describe, expect, it } from "vitest";
import { FilterFlag, FilterMark } from "../capture/layout.js";
import { toRuntimeConfig } from "./collector-control-stream.js";
import { defaultRuntimeConfig, parseRuntimeConfig, RuntimeConfigError } from "./runtime-config.js";
import { RuntimeControls, toKernelControls } from "./runtime-controls.js";

describe("recordBudgetPerSecond and captureSelf", () => {
  it("default to 5,000 records/s and Periscope left out; are validated", () => {
    expect(defaultRuntimeConfig()).toMatchObject({ recordBudgetPerSecond: 5_000, captureSelf: false });
    expect(parseRuntimeConfig({ recordBudgetPerSecond: 50, captureSelf: true })).toMatchObject({
      recordBudgetPerSecond: 50,
      captureSelf: true,
    });
    for (const bad of [
      { recordBudgetPerSecond: -1 },
      { recordBudgetPerSecond: 1.5 },
      { recordBudgetPerSecond: Number.POSITIVE_INFINITY },
    ]) {
      expect(() => parseRuntimeConfig(bad)).toThrow(RuntimeConfigError);
    }
    expect(() => parseRuntimeConfig({ captureSelf: "yes" })).toThrow(/captureSelf/);
  });

  it("take the collector's budget, 0 meaning the agent's start-up default, and keep captureSelf local", () => {
    const current = { ...defaultRuntimeConfig(), captureSelf: true };
    const wire = (budget: number) =>
      create(CollectionConfigSchema, { version: 3n, recordBudgetPerSecond: budget });
    expect(toRuntimeConfig(wire(200), current, 4096, 1_000).config).toMatchObject({
      recordBudgetPerSecond: 200,
      captureSelf: true,
    });
    expect(toRuntimeConfig(wire(0), current, 4096, 1_000).config.recordBudgetPerSecond).toBe(1_000);
  });

  it("exclude Periscope's processes through the pid filter unless captureSelf", () => {
    const config = parseRuntimeConfig({ pids: { exclude: [5] } });
    const kernel = toKernelControls(config, () => 0n, [7, 5]);
    expect(kernel.pidFilter).toEqual([
      [5n, FilterMark.Exclude],
      [7n, FilterMark.Exclude],
    ]);
    expect(kernel.controls.filterFlags & FilterFlag.PidExclude).toBeTruthy();
    const included = toKernelControls(
      { ...config, pids: { include: [], exclude: [] }, captureSelf: true },
      () => 0n,
      [7],
    );
    expect(included.pidFilter).toEqual([]);
    expect(included.controls.filterFlags & FilterFlag.PidExclude).toBeFalsy();
  });

  it("rewrite the pid filter when the scan finds other processes, without a new config version", async () => {
    const writes: Array<Array<[bigint, number]>> = [];
    let flags = 0;
    const controls = new RuntimeControls({
      setControls: (c) => {
        flags = c.filterFlags;
      },
      replaceFilter: (which, entries) => {
        if (which === "pid") writes.push(entries);
      },
    });
    const budgets: number[] = [];
    controls.onApply((config) => budgets.push(config.recordBudgetPerSecond));
    await controls.apply(parseRuntimeConfig({ recordBudgetPerSecond: 10 }));
    await controls.setPeriscopePids([42]);
    await controls.setPeriscopePids([42]);
    expect(writes).toEqual([[], [[42n, FilterMark.Exclude]]]);
    expect(flags & FilterFlag.PidExclude).toBeTruthy();
    // A later config keeps them out, and captureSelf lets them in.
    await controls.apply(parseRuntimeConfig({ captureSelf: true }));
    expect(writes.at(-1)).toEqual([]);
    expect(controls.current().version).toBe(2);
    expect(budgets).toEqual([10, 5_000]);
  });
});
