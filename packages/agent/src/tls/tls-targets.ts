// Finds the files TLS uprobes go on: shared libraries named libssl.so* that
// processes map, and executables that carry OpenSSL themselves (node).
// Uprobes live on the file (inode), so each file is attached once and covers
// every process using it, now and later; new processes only matter when
// they bring a file not seen before, so each scan reads only new pids.
import { readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { basename } from "node:path";

const LIBSSL = /^libssl\.so(\.\d+)*$/;
// Executables known to link OpenSSL statically and export SSL_read/SSL_write.
const STATIC_OPENSSL_EXECUTABLES = new Set(["node", "nodejs"]);

export interface TlsTarget {
  /** A path to the file as the process sees it (under /proc/<pid>/root for other mount namespaces). */
  path: string;
  /** dev:inode, the identity uprobes attach to. */
  fileId: string;
}

function fileId(path: string): string | undefined {
  try {
    const stat = statSync(path);
    return `${stat.dev}:${stat.ino}`;
  } catch {
    return undefined;
  }
}

/** TLS files one process maps (from /proc/<pid>/maps and /proc/<pid>/exe). */
export function tlsFilesOf(pid: number, procRoot = "/proc"): TlsTarget[] {
  const found = new Map<string, TlsTarget>();
  const add = (mappedPath: string) => {
    // Through the process's own root, so a container's libssl is the container's file;
    // the plain path when it is the same file here, so the path outlives the process.
    const viaProcess = `${procRoot}/${pid}/root${mappedPath}`;
    const id = fileId(viaProcess);
    if (id === undefined || found.has(id)) return;
    const path = fileId(mappedPath) === id ? mappedPath : viaProcess;
    found.set(id, { path, fileId: id });
  };
  try {
    const exe = readlinkSync(`${procRoot}/${pid}/exe`);
    if (STATIC_OPENSSL_EXECUTABLES.has(basename(exe))) add(exe);
  } catch {
    // kernel thread or gone
  }
  let maps = "";
  try {
    maps = readFileSync(`${procRoot}/${pid}/maps`, "utf8");
  } catch {
    return [...found.values()];
  }
  for (const line of maps.split("\n")) {
    const slash = line.indexOf("/");
    if (slash < 0) continue;
    const mapped = line.slice(slash);
    if (LIBSSL.test(basename(mapped))) add(mapped);
  }
  return [...found.values()];
}

export function listPids(procRoot = "/proc"): number[] {
  return readdirSync(procRoot)
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}
