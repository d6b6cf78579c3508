// Periscope's own processes (periscope-agent, periscope-collector,
// periscope-ui: each sets process.title, which sets /proc/PID/comm) are left
// out of capture by default: their traffic is Periscope talking to itself —
// agents exporting, the UI polling the API — and capturing it would put
// Periscope's load on every map. The agent finds them by comm on its /proc
// scan and adds them to the kernel's pid filter (RuntimeControls.setPeriscopePids);
// a process started since the last scan is captured until the next one.

import { readdirSync, readFileSync } from "node:fs";

/** comm is cut at 15 bytes ("periscope-colle"), so the prefix is what identifies them. */
export const PERISCOPE_PROCESS_PREFIX = "periscope-";

/** Process ids whose comm starts with "periscope-", except `ownPid` (the kernel already leaves this agent out). */
export function findPeriscopeProcesses(ownPid: number = process.pid, procRoot = "/proc"): number[] {
  const pids: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync(procRoot);
  } catch {
    return pids;
  }
  for (const entry of entries) {
    const code = entry.charCodeAt(0);
    if (code < 0x30 || code > 0x39) continue;
    const pid = Number(entry);
    if (pid === ownPid) continue;
    try {
      if (readFileSync(`${procRoot}/${entry}/comm`, "latin1").startsWith(PERISCOPE_PROCESS_PREFIX))
        pids.push(pid);
    } catch {
      // Gone since readdir.
    }
  }
  return pids;
}
