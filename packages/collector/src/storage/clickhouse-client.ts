// The only place that knows which ClickHouse backend is in use. Both backends
// are driven through @clickhouse/client; only the connection differs.
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { type ClickHouseClient, createClient } from "@clickhouse/client";
import { createChdbConnection } from "chdb/connection";

export type StorageTarget = { kind: "embedded"; dataDir: string } | { kind: "server"; url: string };

export function storageTargetFrom(config: { storageUrl: string; dataDir: string }): StorageTarget {
  return config.storageUrl === ""
    ? { kind: "embedded", dataDir: config.dataDir }
    : { kind: "server", url: config.storageUrl };
}

type ConnectionOption = NonNullable<Parameters<typeof createClient>[0]>["connection"];

export function createClickHouseClient(target: StorageTarget): ClickHouseClient {
  if (target.kind === "server") {
    return createClient({ url: target.url, request_timeout: 30_000 });
  }
  const path = resolve(target.dataDir);
  mkdirSync(path, { recursive: true });
  // chdb bundles its own copy of @clickhouse/client-common, so its Connection
  // type is nominally different from the one this client expects although the
  // shape is the same contract (chdb/connection re-exports it verbatim).
  const connection = createChdbConnection({ path }) as unknown as ConnectionOption;
  return createClient({ connection });
}
