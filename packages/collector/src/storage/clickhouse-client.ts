// The only place that knows which ClickHouse backend is in use. Both backends
// are driven through @clickhouse/client; only the connection differs, plus one
// embedded-only shortcut for the ingest hot path (rawTsvInsert).
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { Readable } from "node:stream";
import {
  type ClickHouseClient,
  ClickHouseLogLevel,
  createClient,
  type ErrorLogParams,
  type Logger,
  type WarnLogParams,
} from "@clickhouse/client";
import { type ChdbConnection, createChdbConnection } from "chdb/connection";
import { splitCredentials } from "./storage-url.js";

/** `cluster`: PERISCOPE_STORAGE_CLUSTER, when the server's tables are Distributed over that cluster. */
export type StorageTarget =
  | { kind: "embedded"; dataDir: string }
  | { kind: "server"; url: string; cluster?: string };

export function storageTargetFrom(config: {
  storageUrl: string;
  dataDir: string;
  storageCluster?: string;
}): StorageTarget {
  if (config.storageUrl === "") return { kind: "embedded", dataDir: config.dataDir };
  const cluster = config.storageCluster ?? "";
  return cluster === ""
    ? { kind: "server", url: config.storageUrl }
    : { kind: "server", url: config.storageUrl, cluster };
}

// An INSERT into a Distributed table returns once the rows are queued on the
// node that took it; they reach the shards in the background
// (distributed_foreground_insert, formerly insert_distributed_sync, default 0:
// https://clickhouse.com/docs/operations/settings/settings#distributed_foreground_insert).
// A shared link or token just created could then be missing from the next
// read, so in a cluster every insert waits until the shards have it.
export const CLUSTER_INSERT_SETTINGS = { insert_distributed_sync: 1 } as const;

type ConnectionOption = NonNullable<Parameters<typeof createClient>[0]>["connection"];

/** INSERT INTO table (columns) FORMAT TabSeparated with body as the data. */
export type TsvInsert = (table: string, columns: readonly string[], body: Buffer) => Promise<void>;

export interface ClickHouseBackend {
  client: ClickHouseClient;
  insertTsv: TsvInsert;
}

export function createClickHouseClient(target: StorageTarget): ClickHouseClient {
  return createClickHouseBackend(target).client;
}

/** Where the client's own log lines go (the collector's pino logger). */
export interface StorageLog {
  warn(object: object, message: string): void;
  debug(object: object, message: string): void;
}

// The client writes to the console by default, unstructured, and logs at
// error level every query that fails — a 422 over a limit, a query whose HTTP
// client went away — although the error is thrown to the caller, which logs
// it as what it is. So its warnings go to the collector's log as warnings and
// its errors at debug. WARN also keeps its DEBUG lines off, which "might
// require redacting" (client-common logger.d.ts, ClickHouseLogLevel).
function clientLog(log: StorageLog) {
  return {
    level: ClickHouseLogLevel.WARN,
    LoggerClass: class implements Logger {
      trace(): void {}
      debug(): void {}
      info(): void {}
      warn({ module, message, args, err }: WarnLogParams): void {
        log.warn({ module, args, err }, message);
      }
      error({ module, message, args, err }: ErrorLogParams): void {
        log.debug({ module, args, err }, message);
      }
    },
  };
}

export function createClickHouseBackend(target: StorageTarget, log?: StorageLog): ClickHouseBackend {
  const logOption = log === undefined ? {} : { log: clientLog(log) };
  if (target.kind === "server") {
    // The client gets the URL without its user-info: whatever it logs or puts
    // in an error about the URL then holds no password (storage-url.ts).
    const { url, username, password } = splitCredentials(target.url);
    const client = createClient({
      url,
      ...logOption,
      ...(username === undefined ? {} : { username }),
      ...(password === undefined ? {} : { password }),
      request_timeout: 30_000,
      ...(target.cluster === undefined ? {} : { clickhouse_settings: CLUSTER_INSERT_SETTINGS }),
    });
    return { client, insertTsv: clientTsvInsert(client) };
  }
  const path = resolve(target.dataDir);
  mkdirSync(path, { recursive: true });
  const connection = createChdbConnection({ path });
  // chdb bundles its own copy of @clickhouse/client-common, so its Connection
  // type is nominally different from the one this client expects although the
  // shape is the same contract (chdb/connection re-exports it verbatim).
  const client = createClient({ connection: connection as unknown as ConnectionOption, ...logOption });
  return { client, insertTsv: embeddedTsvInsert(connection) };
}

function clientTsvInsert(client: ClickHouseClient): TsvInsert {
  return async (table, columns, body) => {
    await client.insert({
      table,
      columns: columns as [string, ...string[]],
      // A byte stream (not object mode) is what the client sends as the raw body.
      values: Readable.from([body], { objectMode: false }),
      format: "TabSeparated",
    });
  };
}

// Through the Connection contract chdb turns the body into a JS string and
// appends it to the SQL text (chdb/dist/connection/chdb-connection.js,
// insert()): three copies of a ~25 MB payload on the event loop per insert.
// Its raw insert hands the Buffer to the engine as is (chdb index.d.ts,
// RawInsertParams) — measured ~1/5 less CPU per row end to end, and far less
// garbage for the collector's GC (src/storage/README.md, Ingest cost).
function embeddedTsvInsert(connection: ChdbConnection): TsvInsert {
  return async (table, columns, body) => {
    try {
      await connection.chdb.rawInsert({ table, columns, format: "TabSeparated", values: body });
    } catch (error) {
      throw withClickHouseCode(error);
    }
  };
}

/**
 * chdb's insert errors carry the engine's code as `clickhouseCode` (number)
 * and `code: "CHDB_INSERT"`; the client's errors carry it as a numeric string
 * in `code`, which storage-errors.ts classifies. Give both the same shape.
 */
function withClickHouseCode(error: unknown): unknown {
  const code = (error as { clickhouseCode?: unknown } | null)?.clickhouseCode;
  if (typeof code !== "number" || !(error instanceof Error)) return error;
  return Object.assign(new Error(error.message, { cause: error }), { code: String(code) });
}
