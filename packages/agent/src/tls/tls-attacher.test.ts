// The attacher against a fake /proc: which files it finds, that each file is
// attached once across pids and scans, and what a failure does.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { KernelEvent } from "../capture/events.js";
import { TlsAttacher } from "./tls-attacher.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A /proc with processes whose root is a private tree holding their files. */
function fakeProc(): { proc: string; addProcess(pid: number, exe: string, mapped: string[]): void } {
  const base = mkdtempSync(join(tmpdir(), "periscope-fakeproc-"));
  dirs.push(base);
  const proc = join(base, "proc");
  const root = join(base, "root");
  mkdirSync(proc);
  return {
    proc,
    addProcess(pid, exe, mapped) {
      const dir = join(proc, String(pid));
      mkdirSync(dir);
      for (const file of [exe, ...mapped]) {
        mkdirSync(join(root, file, ".."), { recursive: true });
        writeFileSync(join(root, file), "elf");
      }
      symlinkSync(root, join(dir, "root"));
      symlinkSync(exe, join(dir, "exe"));
      const lines = mapped.map((file) => `7f0000000000-7f0000001000 r-xp 00000000 08:01 1234 ${file}`);
      writeFileSync(join(dir, "maps"), `${lines.join("\n")}\n`);
    },
  };
}

describe("TlsAttacher", () => {
  it("attaches each OpenSSL file once: libssl.so* from maps and node executables", () => {
    const fake = fakeProc();
    fake.addProcess(100, "/usr/bin/node", ["/usr/lib/libc.so.6"]);
    fake.addProcess(101, "/usr/bin/curl", ["/usr/lib/libssl.so.3", "/usr/lib/libcrypto.so.3"]);
    fake.addProcess(102, "/usr/sbin/nginx", ["/usr/lib/libssl.so.3"]);
    const attached: string[] = [];
    const attacher = new TlsAttacher({
      attach: (path) => attached.push(path),
      scanIntervalMs: 60_000,
      procRoot: fake.proc,
    });
    attacher.scan();
    expect(attached.map((path) => path.replace(/^.*\/root/, "")).sort()).toEqual([
      "/usr/bin/node",
      "/usr/lib/libssl.so.3",
    ]);
    fake.addProcess(103, "/usr/bin/node", []);
    attacher.scan();
    expect(attached).toHaveLength(2);
  });

  it("does not retry a file the kernel refused, but retries one whose process vanished mid-attach", () => {
    const fake = fakeProc();
    fake.addProcess(200, "/usr/bin/node", []);
    const errors: string[] = [];
    let calls = 0;
    const attacher = new TlsAttacher({
      attach: () => {
        calls++;
        throw new Error(
          calls === 1 ? "attach uprobe x:SSL_write: No such file or directory" : "no SSL_write symbol",
        );
      },
      scanIntervalMs: 60_000,
      procRoot: fake.proc,
      onError: (_target, error) => errors.push(error.message),
    });
    attacher.scan();
    expect(errors).toEqual([]);
    fake.addProcess(201, "/usr/bin/node", []);
    attacher.scan();
    expect(errors).toEqual(["no SSL_write symbol"]);
    fake.addProcess(202, "/usr/bin/node", []);
    attacher.scan();
    expect(calls).toBe(2);
  });
});

describe("TlsAttacher.noticeConnections", () => {
  it("attaches a new process's files on its first connection, before the next scan", () => {
    const fake = fakeProc();
    const attached: string[] = [];
    const attacher = new TlsAttacher({
      attach: (path) => attached.push(path),
      scanIntervalMs: 60_000,
      procRoot: fake.proc,
    });
    attacher.scan();
    expect(attached).toEqual([]);
    fake.addProcess(300, "/usr/bin/python3", ["/usr/lib/libssl.so.3"]);
    const open = (tgid: number) =>
      ({ kind: "open", conn: { tgid, fd: 3, generation: 1 } }) as unknown as KernelEvent;
    attacher.noticeConnections([open(300), open(300)]);
    expect(attached.map((path) => path.replace(/^.*\/root/, ""))).toEqual(["/usr/lib/libssl.so.3"]);
    attacher.stop();
    fake.addProcess(301, "/usr/bin/node", []);
    attacher.noticeConnections([open(301)]);
    expect(attached).toHaveLength(1);
  });
});
