import { readdirSync, readlinkSync } from "node:fs";

const SOCKET_LINK = /^socket:\[(\d+)\]$/;

/** Inode of the socket behind `fd` of process `pid`, from its /proc fd symlink. */
export function socketInodeOf(pid: number, fd: number): string | undefined {
  try {
    return SOCKET_LINK.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
  } catch {
    return undefined;
  }
}

/**
 * Finds which processes hold the given socket inodes by walking /proc/<pid>/fd.
 * The walk is bounded (processes and fds visited) because it is the expensive
 * part of peer resolution; it stops as soon as every inode is found.
 */
export function findSocketOwners(inodes: ReadonlySet<string>, maxFdsVisited = 200_000): Map<string, number> {
  const owners = new Map<string, number>();
  if (inodes.size === 0) return owners;
  let visited = 0;
  let processes: string[];
  try {
    processes = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return owners;
  }
  for (const pid of processes) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      if (++visited > maxFdsVisited) return owners;
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = SOCKET_LINK.exec(target)?.[1];
      if (inode !== undefined && inodes.has(inode) && !owners.has(inode)) {
        owners.set(inode, Number(pid));
        if (owners.size === inodes.size) return owners;
      }
    }
  }
  return owners;
}
