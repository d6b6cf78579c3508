// In a cluster (PERISCOPE_STORAGE_CLUSTER) every insert asks the Distributed
// table to reach the shards before it returns; on one node nothing extra is sent.
// A bare HTTP server records what the client sends; it answers every request empty.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REQUEST_COLUMNS } from "../ingest/request-tsv.js";
import { storageTargetFrom } from "./clickhouse-client.js";
import { openStorage } from "./storage.js";

let server: Server;
let url: string;
const received: URLSearchParams[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    received.push(new URL(request.url ?? "/", "http://x").searchParams);
    request.resume();
    request.on("end", () => response.end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function settingsOfInserts(storageCluster: string): Promise<(string | null)[]> {
  received.length = 0;
  const storage = openStorage(storageTargetFrom({ storageUrl: url, dataDir: "unused", storageCluster }));
  try {
    await storage.insertRows("shared_links", [{ id: "a" }]);
    await storage.insertTsv("requests", REQUEST_COLUMNS, Buffer.from("x\n"));
  } finally {
    await storage.close();
  }
  expect(received.map((params) => params.get("query") ?? "")).toEqual([
    expect.stringContaining("INSERT INTO shared_links"),
    expect.stringContaining("INSERT INTO requests"),
  ]);
  return received.map((params) => params.get("insert_distributed_sync"));
}

describe("insert settings", () => {
  it("waits for the shards in cluster mode", async () => {
    expect(await settingsOfInserts("c")).toEqual(["1", "1"]);
  });

  it("sends nothing extra on a single node", async () => {
    expect(await settingsOfInserts("")).toEqual([null, null]);
  });

  it("treats an embedded data directory as a single node whatever the cluster says", () => {
    expect(storageTargetFrom({ storageUrl: "", dataDir: "d", storageCluster: "c" })).toEqual({
      kind: "embedded",
      dataDir: "d",
    });
  });
});
