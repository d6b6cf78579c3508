// Container id from a process's cgroup v2 path (/proc/<pid>/cgroup, the
// "0::<path>" line). Each runtime names its cgroups its own way:
//   docker (cgroupfs driver)   /docker/<id>
//   docker (systemd driver)    /system.slice/docker-<id>.scope
//   containerd (k8s, systemd)  /kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod<uid>.slice/cri-containerd-<id>.scope
//   containerd (k8s, cgroupfs) /kubepods/besteffort/pod<uid>/<id>
//   cri-o                      /kubepods.slice/.../crio-<id>.scope
//   podman                     /machine.slice/libpod-<id>.scope (rootless: /user.slice/.../libpod-<id>.scope[/container])
// Ids are 64 hex digits. podman's conmon monitor (libpod-conmon-<id>.scope)
// and cri-o's (crio-conmon-<id>.scope) are not the container.

const ID = "[0-9a-f]{64}";
const SCOPED = new RegExp(`^(?:docker|cri-containerd|crio|libpod)-(${ID})\\.scope$`);
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

/** The cgroup v2 path in /proc/<pid>/cgroup's text ("0::/path"); undefined on a v1-only host. */
export function cgroupV2PathOf(procCgroup: string): string | undefined {
  for (const line of procCgroup.split("\n")) {
    if (line.startsWith("0::")) return line.slice(3);
  }
  return undefined;
}
