// When the JS thread falls behind, the native queue stays bounded and the
// overflow is dropped in the kernel ring buffer, where it is counted.

import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Direction } from "./events.js";
import {
  ECHO_SERVER_SCRIPT,
  EventLog,
  isRoot,
  nextLine,
  requireRootInCi,
  startNode,
  waitFor,
} from "./fixtures/kernel-processes.js";
import { SocketTracer } from "./socket-tracer.js";

requireRootInCi("backpressure.kernel.test.ts");

/** Blocks this thread (not just this task): nothing reaches JS meanwhile. */
function blockEventLoop(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

describe.skipIf(!isRoot)("backpressure on the real kernel (root only; skipped otherwise outside CI)", () => {
  it("counts ring-buffer drops while the JS thread is blocked, and keeps every delivered record intact", async () => {
    const log = new EventLog();
    const tracer = SocketTracer.open({}, log.add);
    const echo = await startNode(ECHO_SERVER_SCRIPT);
    const scratch = mkdtempSync(path.join(tmpdir(), "periscope-backpressure-"));
    const doneFile = path.join(scratch, "done");
    try {
      // 6000 HTTP-looking 4 KiB writes, one syscall each (the next starts when
      // the last is written; a burst would be merged into a few writev calls):
      // tens of MiB of records, far beyond the 8 MiB ring and 8 queued batches.
      const flooder = await startNode(
        `const chunk = Buffer.alloc(4096, "a"); chunk.write("POST /flood HTTP/1.1\\r\\n");
         const s = require("node:net").connect(Number(process.argv[1]), "127.0.0.1", () => console.log("ready"));
         let received = 0; s.on("data", (d) => { received += d.length; if (received >= 6000 * 4096) { require("node:fs").writeFileSync(process.argv[2], ""); console.log("done"); s.end(); } });
         let sent = 0; const next = () => { if (sent++ < 6000) s.write(chunk, next); };
         process.stdin.once("data", next);`,
        [echo.firstLine, doneFile],
      );
      expect(flooder.firstLine).toBe("ready");
      const done = nextLine(flooder.child);
      flooder.child.stdin?.write("go\n");
      // Stay blocked until the whole flood has moved, however slow the machine:
      // a fixed pause could end before the ring buffer fills.
      const deadline = Date.now() + 12_000;
      while (!existsSync(doneFile) && Date.now() < deadline) blockEventLoop(50);
      expect(await done).toBe("done");

      expect(tracer.dropCounters().ringbufFull).toBeGreaterThan(0n);
      const open = await waitFor("the flooder's conn-open", () => log.openOf(flooder.pid));
      const sent = log.dataOf(open.conn, Direction.Egress);
      expect(sent.length).toBeGreaterThan(0);
      // Dropped records leave gaps in stream offsets, never corrupt ones.
      expect(sent.every((e) => e.syscallLen > 0 && e.data.length === Math.min(e.syscallLen, 4096))).toBe(
        true,
      );
      expect(tracer.decoderCounters()).toMatchObject({
        truncatedFrames: 0,
        badSize: 0,
        unknownType: 0,
        badField: 0,
      });
    } finally {
      echo.child.kill();
      tracer.close();
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
