// The memory the agent may use: PERISCOPE_MEMORY_LIMIT when set (the chart
// fills it from the container's limits.memory through the downward API), else
// its own cgroup's limit. The kernel OOM-kills the agent at that limit; the
// agent sizes its buffers under it and sheds load before it (memory-guard.ts).

import { readFileSync } from "node:fs";

/** Where the limit came from, as /v1/stats and the start-up line say it. */
export interface MemoryLimit {
  bytes: number;
  source: string;
}

/**
 * cgroup v1 writes "no limit" as PAGE_COUNTER_MAX pages (9223372036854771712
 * with 4 KiB pages); anything this large is no limit on any real host.
 */
const NO_LIMIT_ABOVE = 2 ** 60;

const BINARY_SUFFIXES: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
const DECIMAL_SUFFIXES: Record<string, number> = { k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/**
 * Bytes from a plain integer or a Kubernetes quantity ("512Mi", "1G", "1.5Gi");
 * what the downward API's resourceFieldRef gives (integer bytes with the
 * default divisor) and what people type. Throws on anything else.
 */
export function parseMemoryQuantity(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([KMGT]i|[kKMGT])?$/.exec(text.trim());
  if (match === null) {
    throw new Error(`must be bytes or a quantity such as 512Mi or 2G, got "${text}"`);
  }
  const [, number = "", suffix] = match;
  const factor = suffix === undefined ? 1 : (BINARY_SUFFIXES[suffix] ?? DECIMAL_SUFFIXES[suffix] ?? 1);
  const bytes = Math.floor(Number(number) * factor);
  if (!Number.isSafeInteger(bytes)) throw new Error(`is too large: "${text}"`);
  return bytes;
}

export interface CgroupPaths {
  /** Where the cgroup file systems are mounted (/sys/fs/cgroup). */
  root: string;
  /** This process's memberships (/proc/self/cgroup). */
  procSelfCgroup: string;
}

const DEFAULT_PATHS: CgroupPaths = { root: "/sys/fs/cgroup", procSelfCgroup: "/proc/self/cgroup" };

/**
 * The memory limit of this process's cgroup, undefined when there is none
 * (or no cgroup file tells). cgroup v2: the smallest memory.max from the
 * process's own cgroup up to the root, since a parent's limit binds its
 * children too (Documentation/admin-guide/cgroup-v2.rst, "memory.max").
 * cgroup v1: memory.limit_in_bytes of the memory controller's cgroup.
 * Inside a container's cgroup namespace the path is "/" and the mount is the
 * container's own cgroup, so the same walk reads the container's limit.
 */
export function readCgroupMemoryLimit(paths: CgroupPaths = DEFAULT_PATHS): MemoryLimit | undefined {
  const memberships = readText(paths.procSelfCgroup);
  if (memberships === undefined) return undefined;
  // hierarchy-ID:controller-list:path (cgroups(7)). A hybrid host lists a v1
  // memory hierarchy and an empty v2 one ("0::/..."): v1 holds the limit then.
  const entries = memberships
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const [id = "", controllers = "", ...path] = line.split(":");
      return { id, controllers: controllers.split(","), path: path.join(":") };
    });
  const v1 = entries.find((entry) => entry.controllers.includes("memory"));
  if (v1 !== undefined) return cgroupV1Limit(paths.root, v1.path);
  const v2 = entries.find((entry) => entry.id === "0" && entry.controllers.join("") === "");
  return v2 === undefined ? undefined : cgroupV2Limit(paths.root, v2.path);
}

function cgroupV2Limit(root: string, path: string): MemoryLimit | undefined {
  let smallest: MemoryLimit | undefined;
  const parts = path.split("/").filter((part) => part !== "");
  for (let depth = parts.length; depth >= 0; depth--) {
    const file = `${root}/${parts.slice(0, depth).join("/")}/memory.max`.replace(/\/+/g, "/");
    const bytes = limitIn(file);
    if (bytes !== undefined && (smallest === undefined || bytes < smallest.bytes)) {
      smallest = { bytes, source: `cgroup v2 ${file}` };
    }
  }
  return smallest;
}

function cgroupV1Limit(root: string, path: string): MemoryLimit | undefined {
  // The controller is mounted at <root>/memory; inside a container that mount is its own cgroup.
  for (const dir of [`${root}/memory${path}`, `${root}/memory`]) {
    const file = `${dir}/memory.limit_in_bytes`.replace(/\/+/g, "/");
    const bytes = limitIn(file);
    if (bytes !== undefined) return { bytes, source: `cgroup v1 ${file}` };
    if (readText(file) !== undefined) return undefined; // there, and unlimited
  }
  return undefined;
}

/** A limit file's bytes; undefined for "max", a huge value, or no such file. */
function limitIn(file: string): number | undefined {
  const text = readText(file)?.trim();
  if (text === undefined || text === "max" || !/^\d+$/.test(text)) return undefined;
  const bytes = Number(text);
  return bytes >= NO_LIMIT_ABOVE ? undefined : bytes;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * The limit in force: the configured one (Infinity: "max", none on purpose),
 * else the cgroup's when configured is undefined.
 */
export function resolveMemoryLimit(
  configured: number | undefined,
  readCgroup: () => MemoryLimit | undefined = readCgroupMemoryLimit,
): MemoryLimit | undefined {
  if (configured === undefined) return readCgroup();
  if (configured === Number.POSITIVE_INFINITY) return undefined;
  return { bytes: configured, source: "PERISCOPE_MEMORY_LIMIT" };
}
