import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KernelCapture, runNodeScript, startKernelCapture } from "../testing/kernel-capture.js";
import { redisDefinition } from "./redis-definition.js";

// ioredis in a child process against the local Redis (scripts/setup/services.sh),
// seen by the real eBPF tracer: the kernel's inference must tag the connection
// Redis and capture its payload for these records to exist.

// Titles fit comm's 15 bytes, so the name is the same whether it is read from
// /proc or, once the short-lived client has exited, from the event's comm.
const CLIENT_SCRIPT = `
process.title = "pscope-redis";
const { Redis } = require("ioredis");
(async () => {
  const client = new Redis({ port: 6379, protocol: 2, connectionName: "pscope-kernel" });
  await client.set("pscope:kernel:string", "value");
  await client.get("pscope:kernel:string");
  await client.hset("pscope:kernel:hash", "field", "value");
  await client.lpush("pscope:kernel:string", "x").catch(() => {});
  await client.del("pscope:kernel:string", "pscope:kernel:hash");
  await client.quit();
})();
`;

let capture: KernelCapture;

beforeAll(() => {
  capture = startKernelCapture([redisDefinition]);
});

afterAll(() => capture?.close());

describe("Redis behind the real socket tracer", () => {
  it("records ioredis commands with their keys and the WRONGTYPE error", async () => {
    await runNodeScript(CLIENT_SCRIPT);
    const ours = () =>
      capture.records.filter(
        (record) => record.side === "client" && record.client.service === "pscope-redis",
      );
    await expect
      .poll(() => ours().some((record) => record.operation === "QUIT"), { timeout: 10_000 })
      .toBe(true);
    const seen = ours().map((record) => [record.operation, record.target, record.error]);
    expect(seen).toEqual(
      expect.arrayContaining([
        ["CLIENT SETNAME", "", false],
        ["SET", "pscope:kernel:string", false],
        ["GET", "pscope:kernel:string", false],
        ["HSET", "pscope:kernel:hash", false],
        ["LPUSH", "pscope:kernel:string", true],
        ["DEL", "pscope:kernel:string", false],
      ]),
    );
    const wrongType = ours().find((record) => record.operation === "LPUSH");
    expect(wrongType?.attributes["redis.error_prefix"]).toBe("WRONGTYPE");
    expect(ours().every((record) => record.server.port === 6379 && record.durationNs > 0n)).toBe(true);
  });
});
