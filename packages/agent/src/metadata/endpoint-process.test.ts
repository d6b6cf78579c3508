import { realpathSync } from "node:fs";
import { create, EndpointSchema, RequestRecordSchema } from "@periscope/proto";
import { describe, expect, it } from "vitest";
import { observeProcesses, withProcessInfo } from "./endpoint-process.js";
import { ProcessInfoCache } from "./process-info.js";

describe("withProcessInfo", () => {
  it("fills Endpoint fields 6-9 of a local process, leaves a remote end alone", () => {
    const cache = new ProcessInfoCache({ maxProcesses: 8 });
    const record = create(RequestRecordSchema, {
      client: create(EndpointSchema, { ip: "127.0.0.1", port: 5000, pid: process.pid }),
      server: create(EndpointSchema, { ip: "10.0.0.9", port: 80 }),
    });
    withProcessInfo(record, cache);
    expect(record.client).toMatchObject({
      exe: realpathSync(process.execPath),
      cmdline: expect.stringContaining(process.argv[1] ?? "node"),
      containerId: "",
    });
    expect(Number(record.client?.processStartTimeUnixMs)).toBeGreaterThan(
      Date.now() - 24 * 3600 * 1000 * 365,
    );
    expect(record.server).toMatchObject({
      exe: "",
      cmdline: "",
      containerId: "",
      processStartTimeUnixMs: 0n,
    });
  });

  it("reads a process at its conn-open event, so a process that exits before its record still has metadata", () => {
    const cache = new ProcessInfoCache({ maxProcesses: 8 });
    observeProcesses(
      [
        {
          kind: "open",
          timestampNs: 0n,
          conn: { tgid: process.pid, fd: 3, generation: 1 },
          pid: process.pid,
          family: "ipv4",
          localAddr: "127.0.0.1",
          localPort: 1,
          remoteAddr: "127.0.0.1",
          remotePort: 2,
          role: 1,
          source: 5,
          comm: "node",
        },
      ],
      cache,
    );
    expect(cache.size).toBe(1);
  });
});
