// disableConnection() on the real kernel: the connection's later data events
// keep their sizes and offsets but carry no payload, flagged; other
// connections are untouched; the kernel counts each event it skipped.

import { describe, expect, it } from "vitest";
import { Direction } from "./events.js";
import {
  HTTP_SERVER_SCRIPT,
  isRoot,
  KEEPALIVE_CLIENT_SCRIPT,
  nextLine,
  requireRootInCi,
  startNode,
  waitFor,
} from "./fixtures/kernel-processes.js";
import { traceWithServer } from "./fixtures/traced-server.js";

requireRootInCi("connection-disable.kernel.test.ts");

describe.skipIf(!isRoot)(
  "disabling a connection in the kernel (root only; skipped otherwise outside CI)",
  () => {
    const traced = traceWithServer(HTTP_SERVER_SCRIPT);
    const { log } = traced;

    it("stops copying that connection's payload, sizes and offsets still come", async () => {
      const client = await startNode(KEEPALIVE_CLIENT_SCRIPT, [traced.server.firstLine]);
      try {
        const request = async (path: string) => {
          client.child.stdin?.write(`${path}\n`);
          expect(await nextLine(client.child)).toBe("200");
        };
        await request("/copied");
        const open = await waitFor("the client's conn-open", () => log.openOf(client.pid));
        const [first] = await log.firstData(open.conn, Direction.Egress);
        expect(first?.data.toString("latin1")).toMatch(/^GET \/copied /);
        const skippedBefore = traced.tracer.dropCounters().disabledPayload;

        traced.tracer.disableConnection(open.conn);
        await request("/not-copied");
        const later = await waitFor("the second request's event", () => {
          const events = log.dataOf(open.conn, Direction.Egress);
          return events.length > 1 ? events[1] : undefined;
        });
        expect(later).toMatchObject({ payloadDisabled: true, streamOffset: BigInt(first?.syscallLen ?? -1) });
        expect(later.syscallLen).toBeGreaterThan(0);
        expect(later.data.length).toBe(0);
        expect(traced.tracer.dropCounters().disabledPayload).toBeGreaterThan(skippedBefore);

        // The server's end of the same connection is another connection: still copied.
        const serverSide = await waitFor("the server's conn-open", () =>
          log.openOf(traced.server.pid, (e) => e.remotePort === open.localPort),
        );
        await waitFor("the server reading /not-copied", () =>
          log.stream(serverSide.conn, Direction.Ingress).text.includes("GET /not-copied") ? true : undefined,
        );
      } finally {
        client.child.kill();
      }
    });
  },
);
