import { CAPTURE_PROTOCOLS } from "@periscope/proto";
import { describe, expect, it } from "vitest";
import { FilterFlag, FilterMark, SYSCALL_SLOTS } from "../capture/layout.js";
import { defaultRuntimeConfig, parseRuntimeConfig, RuntimeConfigError } from "./runtime-config.js";
import { type ControlTarget, RuntimeControls, toKernelControls } from "./runtime-controls.js";

function refusal(input: unknown): { field: string; message: string } {
  try {
    parseRuntimeConfig(input);
  } catch (error) {
    if (error instanceof RuntimeConfigError) return { field: error.field, message: error.message };
    throw error;
  }
  throw new Error("accepted");
}

describe("parseRuntimeConfig", () => {
  it("fills every section left out with its default", () => {
    expect(parseRuntimeConfig({})).toEqual(defaultRuntimeConfig());
    expect(parseRuntimeConfig({ sampling: { keepOneIn: 10 } }).sampling.keepOneIn).toBe(10);
  });

  it("keeps what was given, deduplicating filter lists", () => {
    const config = parseRuntimeConfig({
      protocols: { redis: false },
      captureBytes: { default: 128, perSyscall: { read: 16384, sendmsg: 0 } },
      pids: { include: [10, 10, 11], exclude: [] },
      cgroups: { exclude: ["/system.slice/x/"] },
    });
    expect(config.protocols.redis).toBe(false);
    expect(config.protocols.http).toBe(true);
    expect(config.captureBytes).toEqual({ default: 128, perSyscall: { read: 16384, sendmsg: 0 } });
    expect(config.pids.include).toEqual([10, 11]);
    expect(config.cgroups.exclude).toEqual(["/system.slice/x"]);
  });

  it.each([
    [null, "config"],
    [[], "config"],
    [{ protocol: {} }, "protocol"],
    [{ protocols: { htp: false } }, "protocols.htp"],
    [{ protocols: { http: "no" } }, "protocols.http"],
    [{ captureBytes: { default: 16385 } }, "captureBytes.default"],
    [{ captureBytes: { default: -1 } }, "captureBytes.default"],
    [{ captureBytes: { perSyscall: { sendfile: 10 } } }, "captureBytes.perSyscall.sendfile"],
    [{ captureBytes: { perSyscall: { read: 1.5 } } }, "captureBytes.perSyscall.read"],
    [{ pids: { include: [1, "2"] } }, "pids.include[1]"],
    [{ pids: { exclude: 5 } }, "pids.exclude"],
    [{ pids: { include: Array.from({ length: 1025 }, (_, i) => i + 1) } }, "pids.include"],
    [{ cgroups: { include: ["relative"] } }, "cgroups.include[0]"],
    [{ cgroups: { include: ["/a/../b"] } }, "cgroups.include[0]"],
    [{ sampling: { keepOneIn: 0 } }, "sampling.keepOneIn"],
  ])("refuses %j naming %s", (input, field) => {
    const { field: named, message } = refusal(input);
    expect(named).toBe(field);
    expect(message.startsWith(`${field}: `)).toBe(true);
  });
});

describe("protocol names", () => {
  it("are the contract's capture protocols", () => {
    expect(Object.keys(defaultRuntimeConfig().protocols)).toEqual([...CAPTURE_PROTOCOLS]);
  });

  it("refuses the old name http1, naming the accepted ones", () => {
    const { message } = refusal({ protocols: { http1: false } });
    expect(message).toBe(`protocols.http1: unknown field (expected one of ${CAPTURE_PROTOCOLS.join(", ")})`);
    expect(message).toContain("http, http2");
  });
});

describe("toKernelControls", () => {
  it("turns a config into capture_config and filter map contents", () => {
    const config = parseRuntimeConfig({
      protocols: { http: false, mqtt: false },
      captureBytes: { default: 100, perSyscall: { read: 7 } },
      pids: { include: [42], exclude: [42, 43] },
      cgroups: { include: ["/a"] },
      sampling: { keepOneIn: 5 },
    });
    const kernel = toKernelControls(config, (path) => (path === "/a" ? 99n : -1n));
    expect(kernel.controls.captureBytes).toHaveLength(SYSCALL_SLOTS);
    expect(kernel.controls.captureBytes[1]).toBe(7); // SYSCALL_READ
    expect(kernel.controls.captureBytes[2]).toBe(100); // SYSCALL_WRITE
    expect(kernel.controls.disabledProtocols).toBe((1 << 1) | (1 << 11));
    expect(kernel.controls.filterFlags).toBe(
      FilterFlag.PidInclude | FilterFlag.PidExclude | FilterFlag.CgroupInclude,
    );
    expect(kernel.controls.sampleEvery).toBe(5);
    expect(kernel.pidFilter).toEqual([
      [42n, FilterMark.Include | FilterMark.Exclude],
      [43n, FilterMark.Exclude],
    ]);
    expect(kernel.cgroupFilter).toEqual([[99n, FilterMark.Include]]);
  });
});

describe("RuntimeControls", () => {
  function recordingTarget(): ControlTarget & { writes: string[] } {
    const writes: string[] = [];
    return {
      writes,
      setControls: (c) => writes.push(`controls sample=${c.sampleEvery}`),
      replaceFilter: (which, entries) => writes.push(`${which} ${entries.length}`),
    };
  }

  it("versions each apply and keeps the last good config when one is refused", async () => {
    const target = recordingTarget();
    const controls = new RuntimeControls(target, () => {
      throw new Error("no such cgroup");
    });
    expect(controls.current().version).toBe(0);
    expect(await controls.apply(parseRuntimeConfig({ sampling: { keepOneIn: 3 } }))).toEqual({ version: 1 });
    const bad = parseRuntimeConfig({ cgroups: { include: ["/missing"] } });
    await expect(controls.apply(bad)).rejects.toThrow("cgroups.include[0]: no such cgroup");
    expect(controls.current()).toMatchObject({ version: 1, config: { sampling: { keepOneIn: 3 } } });
    expect(target.writes).toEqual(["pid 0", "cgroup 0", "controls sample=3"]);
  });
});
