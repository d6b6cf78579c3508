// Container id from a process's cgroup path (/proc/<pid>/cgroup): the v2
// "0::<path>" line, else a cgroup v1 hierarchy's line ("<id>:<controllers>:<path>",
// cgroups(7)). Each runtime names its cgroups its own way, the same under v1 and v2:
//   docker (cgroupfs driver)   /docker/<id>
//   docker (systemd driver)    /system.slice/docker-<id>.scope
//   containerd (k8s, systemd)  /kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod<uid>.slice/cri-containerd-<id>.scope
//   containerd (k8s, cgroupfs) /kubepods/besteffort/pod<uid>/<id>
//   cri-o (systemd)            /kubepods.slice/.../crio-<id>.scope
//   cri-o (cgroupfs)           /kubepods/burstable/pod<uid>/crio-<id>
//   podman                     /machine.slice/libpod-<id>.scope (rootless: /user.slice/.../libpod-<id>.scope[/container])
//   podman (cgroupfs manager)  /libpod_parent/libpod-<id>
// Ids are 64 hex digits. podman's conmon monitor (libpod-conmon-<id>.scope)
// and cri-o's (crio-conmon-<id>.scope) are not the container.

const ID = "[0-9a-f]{64}";
// ".scope" under the systemd cgroup driver; cri-o and podman drop it under cgroupfs.
const SCOPED = new RegExp(`^(?:docker|cri-containerd|crio|libpod)-(${ID})(?:\\.scope)?$`);
const BARE = new RegExp(`^${ID}$`);

/** The innermost container id in a cgroup path, or undefined for a process outside containers. */
export function containerIdFromCgroupPath(path: string): string | undefined {
  const parts = path.split("/").filter((part) => part !== "");
  for (let i = parts.length - 1; i >= 0; i--) {
    const part = parts[i] ?? "";
    const scoped = SCOPED.exec(part);
    if (scoped) return scoped[1];
    // A bare id counts only under a runtime's parent, not any 64-hex directory name.
    const parent = parts[i - 1] ?? "";
    if (BARE.test(part) && (parent === "docker" || /^pod[0-9a-f_-]+$/.test(parent))) return part;
  }
  return undefined;
}

/**
 * The container of a process from /proc/<pid>/cgroup's text: the unified (v2)
 * line first, then each v1 hierarchy's. On a hybrid host the v2 line may sit
 * at "/" while the v1 controllers hold the container's path (docker with
 * cgroupfs on cgroup v1), so a v2 line without a container is not the answer.
 */
export function containerIdOfProcCgroup(procCgroup: string): string | undefined {
  const lines = procCgroup.split("\n");
  const v2 = cgroupV2PathOf(procCgroup);
  const fromV2 = v2 === undefined ? undefined : containerIdFromCgroupPath(v2);
  if (fromV2 !== undefined) return fromV2;
  for (const line of lines) {
    if (line.startsWith("0::")) continue;
    // "<hierarchy>:<controllers>:<path>"; the path may itself hold ':'.
    const second = line.indexOf(":", line.indexOf(":") + 1);
    if (second < 0) continue;
    const id = containerIdFromCgroupPath(line.slice(second + 1));
    if (id !== undefined) return id;
  }
  return undefined;
}

/** The cgroup v2 path in /proc/<pid>/cgroup's text ("0::/path"); undefined on a v1-only host. */
export function cgroupV2PathOf(procCgroup: string): string | undefined {
  for (const line of procCgroup.split("\n")) {
    if (line.startsWith("0::")) return line.slice(3);
  }
  return undefined;
}
