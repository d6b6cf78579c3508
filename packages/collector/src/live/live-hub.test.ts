// Bounds of the live hub: a client that stops reading is dropped and counted.
import { EventEmitter } from "node:events";
import type { ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import type { RequestRow } from "../ingest/request-row.js";
import { LiveHub } from "./live-hub.js";

/** A socket that accepts the first write and then never drains, like a stalled client. */
function stalledResponse(): ServerResponse & { writes: string[]; ended: boolean } {
  const response = Object.assign(new EventEmitter(), {
    writes: [] as string[],
    ended: false,
    write(chunk: string) {
      response.writes.push(chunk);
      return false;
    },
    end() {
      response.ended = true;
    },
  });
  return response as unknown as ServerResponse & { writes: string[]; ended: boolean };
}

function row(target: string): RequestRow {
  return {
    time: "1700000000000000000",
    agent_id: "a",
    protocol: "http",
    side: "client",
    client_ip: "10.0.0.1",
    client_port: 1,
    client_service: "web",
    client_pid: 1,
    client_process: "",
    client_container_id: "",
    client_namespace: "",
    client_workload: "",
    client_pod: "",
    client_node: "",
    client_host: "",
    server_ip: "10.0.0.2",
    server_port: 80,
    server_service: "api",
    server_pid: 2,
    server_process: "",
    server_container_id: "",
    server_namespace: "",
    server_workload: "",
    server_pod: "",
    server_node: "",
    server_host: "",
    operation: "GET",
    target,
    status: 200,
    error: false,
    duration_ns: "1000000",
    request_bytes: "1",
    response_bytes: "1",
    attributes: {},
    trace_id: "",
    span_id: "",
    parent_span_id: "",
    truncated: false,
    sample_weight: 1,
  };
}

describe("LiveHub", () => {
  it("drops a subscriber whose queue fills, and counts it", () => {
    const hub = new LiveHub({ maxQueuedEvents: 3, flushIntervalMs: 60_000 });
    const stalled = stalledResponse();
    const client = hub.subscribe(new Set(["requests"]), stalled);
    expect(client).toBeDefined();
    for (let i = 0; i < 5; i += 1) client?.send("requests", { n: i });
    expect(stalled.writes).toHaveLength(1);
    expect(stalled.ended).toBe(true);
    expect(hub.counters.clientsDroppedSlow).toBe(1);
    expect(hub.clientCount).toBe(0);
    hub.close();
  });

  it("refuses subscribers beyond its limit", () => {
    const hub = new LiveHub({ maxClients: 1 });
    expect(hub.subscribe(new Set(["map"]), stalledResponse())).toBeDefined();
    expect(hub.subscribe(new Set(["map"]), stalledResponse())).toBeUndefined();
    expect(hub.counters.clientsRefusedFull).toBe(1);
    hub.close();
  });

  it("bounds the requests one event carries and counts the rest", async () => {
    const hub = new LiveHub({ maxRequestsPerEvent: 2, flushIntervalMs: 1 });
    const response = Object.assign(new EventEmitter(), {
      writes: [] as string[],
      write: (chunk: string) => response.writes.push(chunk) > 0,
      end: () => {},
    });
    hub.subscribe(new Set(["requests"]), response as unknown as ServerResponse);
    hub.publish(() => [row("/1"), row("/2"), row("/3")]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const event = response.writes.find((w) => w.startsWith("event: requests"));
    const data = JSON.parse(event?.split("data: ")[1] ?? "{}");
    expect(data.requests.map((r: { target: string }) => r.target)).toEqual(["/2", "/3"]);
    expect(data.omitted).toBe(1);
    expect(hub.counters.requestsOmitted).toBe(1);
    hub.close();
  });
});
