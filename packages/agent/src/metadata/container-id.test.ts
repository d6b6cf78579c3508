import { describe, expect, it } from "vitest";
import { cgroupV2PathOf, containerIdFromCgroupPath, containerIdOfProcCgroup } from "./container-id.js";

const ID = "3f1b8c5e2a9d4f6071b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718";

describe("containerIdFromCgroupPath", () => {
  it.each([
    ["docker, cgroupfs driver", `/docker/${ID}`],
    ["docker, systemd driver", `/system.slice/docker-${ID}.scope`],
    [
      "containerd under kubelet, systemd driver",
      `/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod0f2a1b3c_4d5e_6f70_8192_a3b4c5d6e7f8.slice/cri-containerd-${ID}.scope`,
    ],
    [
      "containerd under kubelet, cgroupfs driver",
      `/kubepods/besteffort/pod0f2a1b3c-4d5e-6f70-8192-a3b4c5d6e7f8/${ID}`,
    ],
    ["cri-o", `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234.slice/crio-${ID}.scope`],
    ["cri-o, cgroupfs driver", `/kubepods/burstable/pod0f2a1b3c-4d5e-6f70-8192-a3b4c5d6e7f8/crio-${ID}`],
    ["podman, cgroupfs manager", `/libpod_parent/libpod-${ID}`],
    [
      "containerd under kind/k3s (kubelet.slice)",
      `/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice/kubelet-kubepods-besteffort-pod0f2a.slice/cri-containerd-${ID}.scope`,
    ],
    ["podman, rootful", `/machine.slice/libpod-${ID}.scope`],
    [
      "podman, rootless",
      `/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-${ID}.scope/container`,
    ],
    ["a nested container: the innermost id", `/docker/${"a".repeat(64)}/docker/${ID}`],
  ])("%s", (_, path) => {
    expect(containerIdFromCgroupPath(path)).toBe(ID);
  });

  it.each([
    ["the root cgroup", "/"],
    ["a systemd service", "/system.slice/nginx.service"],
    ["a login session", "/user.slice/user-0.slice/session-3.scope"],
    ["podman's conmon monitor", `/machine.slice/libpod-conmon-${ID}.scope`],
    ["cri-o's conmon monitor", `/kubepods.slice/crio-conmon-${ID}.scope`],
    ["a 64-hex directory under no runtime", `/myapp/${ID}`],
    [
      "a kubepods pod slice itself",
      "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1234.slice",
    ],
    ["a short id", "/docker/3f1b8c5e2a9d"],
  ])("none for %s", (_, path) => {
    expect(containerIdFromCgroupPath(path)).toBeUndefined();
  });
});

describe("cgroupV2PathOf", () => {
  it("reads the unified line of a hybrid host's /proc/<pid>/cgroup", () => {
    const hybrid = `12:pids:/docker/x\n1:name=systemd:/docker/x\n0::/docker/${ID}\n`;
    expect(cgroupV2PathOf(hybrid)).toBe(`/docker/${ID}`);
    expect(cgroupV2PathOf("0::/\n")).toBe("/");
    expect(cgroupV2PathOf("4:memory:/x\n")).toBeUndefined();
  });
});

describe("containerIdOfProcCgroup", () => {
  const POD = "pod0f2a1b3c-4d5e-6f70-8192-a3b4c5d6e7f8";
  it.each([
    ["cgroup v2, containerd", `0::/kubepods.slice/kubepods-${POD}.slice/cri-containerd-${ID}.scope\n`],
    [
      "cgroup v1, containerd under kubelet (cgroupfs)",
      `12:pids:/kubepods/besteffort/${POD}/${ID}\n11:memory:/kubepods/besteffort/${POD}/${ID}\n1:name=systemd:/kubepods/besteffort/${POD}/${ID}\n`,
    ],
    [
      "cgroup v1, cri-o (systemd)",
      `4:cpu,cpuacct:/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1.slice/crio-${ID}.scope\n`,
    ],
    ["cgroup v1, docker", `9:devices:/docker/${ID}\n1:name=systemd:/docker/${ID}\n`],
    ["cgroup v1, podman", `3:memory:/machine.slice/libpod-${ID}.scope\n`],
    // Hybrid: systemd's unified hierarchy shows "/" while the v1 controllers hold the container.
    ["hybrid v1/v2, docker with cgroupfs", `5:memory:/docker/${ID}\n1:name=systemd:/docker/${ID}\n0::/\n`],
  ])("%s", (_, text) => {
    expect(containerIdOfProcCgroup(text)).toBe(ID);
  });

  it("none for a host process under v1 or v2", () => {
    expect(containerIdOfProcCgroup("0::/system.slice/sshd.service\n")).toBeUndefined();
    expect(
      containerIdOfProcCgroup(
        "4:memory:/user.slice\n1:name=systemd:/user.slice/user-0.slice/session-1.scope\n",
      ),
    ).toBeUndefined();
  });
});
