import { describe, expect, it } from "vitest";
import {
  assertKernelPrerequisites,
  BTF_PATH,
  NOT_PRIVILEGED_MESSAGE,
  type SystemProbe,
} from "./preflight.js";

function probe(overrides: Partial<SystemProbe> = {}): SystemProbe {
  return {
    uid: () => 0,
    effectiveCapabilitiesHex: () => "000001ffffffffff",
    fileExists: (path) => path === BTF_PATH,
    ensureTracefs: () => "",
    ...overrides,
  };
}

describe("kernel preflight", () => {
  it("accepts root with full capabilities, BTF and tracefs", () => {
    expect(() => assertKernelPrerequisites(probe())).not.toThrow();
  });

  it("refuses a non-root user without CAP_BPF, naming the capabilities", () => {
    const user = probe({ uid: () => 1000, effectiveCapabilitiesHex: () => "0000000000000000" });
    expect(() => assertKernelPrerequisites(user)).toThrow(NOT_PRIVILEGED_MESSAGE);
  });

  it("refuses root in a container that dropped CAP_BPF and CAP_SYS_ADMIN", () => {
    const confinedRoot = probe({ effectiveCapabilitiesHex: () => "00000000a80425fb" });
    expect(() => assertKernelPrerequisites(confinedRoot)).toThrow(NOT_PRIVILEGED_MESSAGE);
  });

  it("accepts a non-root process holding CAP_BPF and CAP_PERFMON", () => {
    const capable = probe({ uid: () => 1000, effectiveCapabilitiesHex: () => (3n << 38n).toString(16) });
    expect(() => assertKernelPrerequisites(capable)).not.toThrow();
  });

  it("names BTF when the kernel has none", () => {
    expect(() => assertKernelPrerequisites(probe({ fileExists: () => false }))).toThrow(
      /BTF.*CONFIG_DEBUG_INFO_BTF/,
    );
  });

  it("reports why tracefs could not be mounted", () => {
    const noTracefs = probe({
      ensureTracefs: () => "mount tracefs at /sys/kernel/tracing: Operation not permitted",
    });
    expect(() => assertKernelPrerequisites(noTracefs)).toThrow(
      "tracefs is not available: mount tracefs at /sys/kernel/tracing: Operation not permitted",
    );
  });
});
