// cgroup v2 paths → the ids bpf_get_current_cgroup_id() returns: the inode
// number of the cgroup's directory in the cgroup2 filesystem (kernfs node
// id, Documentation/admin-guide/cgroup-v2.rst; helper since Linux 4.18).

import { readFileSync, statSync } from "node:fs";
import { isAbsolute, join } from "node:path";

/** Where cgroup2 is mounted (/sys/fs/cgroup, or /sys/fs/cgroup/unified on hybrid hosts). */
export function cgroup2MountPoint(mountinfo = "/proc/self/mountinfo"): string | undefined {
  for (const line of readFileSync(mountinfo, "utf8").split("\n")) {
    // "36 25 0:31 / /sys/fs/cgroup/unified rw,... shared:10 - cgroup2 cgroup2 rw"
    const [left, right] = line.split(" - ");
    if (right?.split(" ")[0] === "cgroup2") return left?.split(" ")[4];
  }
  return undefined;
}

/**
 * The id of a cgroup given as a path inside the cgroup2 mount ("/kubepods/x")
 * or a full path under it. Throws naming the path when it is not a cgroup.
 */
export function cgroupIdOf(path: string, mountPoint: string | undefined = cgroup2MountPoint()): bigint {
  if (mountPoint === undefined) throw new Error("no cgroup2 filesystem is mounted, cgroup filters need one");
  const full = path.startsWith(`${mountPoint}/`) || path === mountPoint ? path : join(mountPoint, path);
  if (!isAbsolute(full)) throw new Error(`${path} is not an absolute path`);
  try {
    const stat = statSync(full, { bigint: true });
    if (!stat.isDirectory()) throw new Error("not a directory");
    return stat.ino;
  } catch (error) {
    throw new Error(`${path}: no such cgroup under ${mountPoint} (${(error as Error).message})`);
  }
}
