import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { serviceNameOf } from "../metadata/service-name.js";
import { findPeriscopeProcesses } from "./periscope-processes.js";

const root = mkdtempSync(path.join(tmpdir(), "periscope-proc-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function fakeProcess(pid: number, comm: string): void {
  mkdirSync(path.join(root, String(pid)));
  writeFileSync(path.join(root, String(pid), "comm"), `${comm}\n`);
}

describe("findPeriscopeProcesses", () => {
  it("finds processes whose comm starts with periscope-, except the agent itself", () => {
    fakeProcess(10, "periscope-colle");
    fakeProcess(11, "periscope-ui");
    fakeProcess(12, "nginx");
    fakeProcess(13, "periscope-agent");
    mkdirSync(path.join(root, "self"));
    mkdirSync(path.join(root, "14"));
    expect(findPeriscopeProcesses(13, root).sort()).toEqual([10, 11]);
  });

  it("finds a real Node process by the title it set, and names its service in full", async () => {
    const child = spawn(process.execPath, [
      "-e",
      'process.title = "periscope-collector"; console.log("ready"); setInterval(() => {}, 1000)',
      "an-argument-long-enough-to-hold-the-title",
    ]);
    try {
      await new Promise((resolve) => child.stdout.once("data", resolve));
      expect(findPeriscopeProcesses()).toContain(child.pid);
      const comm = readFileSync(`/proc/${child.pid}/comm`, "utf8").trim();
      const argv = readFileSync(`/proc/${child.pid}/cmdline`, "utf8").split("\0").filter(Boolean);
      expect(comm).toBe("periscope-colle");
      expect(serviceNameOf(comm, argv)).toBe("periscope-collector");
    } finally {
      child.kill();
    }
  });
});
