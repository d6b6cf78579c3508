import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parseMemoryQuantity, readCgroupMemoryLimit, resolveMemoryLimit } from "./memory-limit.js";

const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));
const fixture = (name: string) => ({
  root: join(fixtures, name, "sys-fs-cgroup"),
  procSelfCgroup: join(fixtures, name, "proc-self-cgroup"),
});

const scratch = mkdtempSync(join(tmpdir(), "periscope-cgroup-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A cgroup tree in a temporary directory: path → file contents. */
function tree(name: string, files: Record<string, string>) {
  const base = join(scratch, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(base, path, ".."), { recursive: true });
    writeFileSync(join(base, path), text);
  }
  return { root: join(base, "sys"), procSelfCgroup: join(base, "proc-self-cgroup") };
}

describe("parseMemoryQuantity", () => {
  it.each([
    ["536870912", 536_870_912],
    ["512Mi", 512 * 2 ** 20],
    ["1Gi", 2 ** 30],
    ["1.5Gi", 1.5 * 2 ** 30],
    ["256Ki", 256 * 1024],
    ["2G", 2e9],
    ["500M", 5e8],
    [" 128Mi ", 128 * 2 ** 20],
  ])("reads %s", (text, bytes) => {
    expect(parseMemoryQuantity(text)).toBe(bytes);
  });

  it.each(["", "-1", "lots", "512 MiB", "1e9", "12Xi", "0x100"])("refuses %j", (text) => {
    expect(() => parseMemoryQuantity(text)).toThrow(/512Mi or 2G/);
  });
});

describe("readCgroupMemoryLimit", () => {
  it("cgroup v2: takes the smallest memory.max from the process's cgroup up (the pod's, here)", () => {
    expect(readCgroupMemoryLimit(fixture("cgroup-v2"))).toEqual({
      bytes: 512 * 2 ** 20,
      source: expect.stringMatching(/^cgroup v2 .*kubepods-burstable-pod1f2e\.slice\/memory\.max$/),
    });
  });

  it("cgroup v1: the memory hierarchy's memory.limit_in_bytes, not the empty v2 one of a hybrid host", () => {
    expect(readCgroupMemoryLimit(fixture("cgroup-v1"))).toEqual({
      bytes: 256 * 2 ** 20,
      source: expect.stringMatching(/^cgroup v1 .*pod1f2e\/5d1c\/memory\.limit_in_bytes$/),
    });
  });

  it("cgroup v2 in a cgroup namespace: the path is / and the mount is the container's own cgroup", () => {
    const paths = tree("v2-namespaced", {
      "proc-self-cgroup": "0::/\n",
      "sys/memory.max": "268435456\n",
    });
    expect(readCgroupMemoryLimit(paths)?.bytes).toBe(256 * 2 ** 20);
  });

  it("no limit: max everywhere (v2), PAGE_COUNTER_MAX (v1), no cgroup files at all", () => {
    const v2 = tree("v2-max", {
      "proc-self-cgroup": "0::/system.slice/periscope-agent.service\n",
      "sys/system.slice/periscope-agent.service/memory.max": "max\n",
      "sys/system.slice/memory.max": "max\n",
    });
    expect(readCgroupMemoryLimit(v2)).toBeUndefined();
    const v1 = tree("v1-unlimited", {
      "proc-self-cgroup": "4:memory:/\n",
      "sys/memory/memory.limit_in_bytes": "9223372036854771712\n",
    });
    expect(readCgroupMemoryLimit(v1)).toBeUndefined();
    expect(
      readCgroupMemoryLimit({ root: join(scratch, "none"), procSelfCgroup: join(scratch, "none", "cgroup") }),
    ).toBeUndefined();
  });
});

describe("resolveMemoryLimit", () => {
  const cgroup = () => ({ bytes: 300 * 2 ** 20, source: "cgroup v2 /sys/fs/cgroup/memory.max" });

  it("prefers PERISCOPE_MEMORY_LIMIT, falls back to the cgroup, and max means none", () => {
    expect(resolveMemoryLimit(2 ** 30, cgroup)).toEqual({ bytes: 2 ** 30, source: "PERISCOPE_MEMORY_LIMIT" });
    expect(resolveMemoryLimit(undefined, cgroup)).toEqual(cgroup());
    expect(resolveMemoryLimit(undefined, () => undefined)).toBeUndefined();
    expect(resolveMemoryLimit(Number.POSITIVE_INFINITY, cgroup)).toBeUndefined();
  });
});
