// Rows written as TSV read back exactly as the same rows written as JSON
// (the client's own encoding), including text that needs escaping.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create, RequestRecordSchema, Side } from "@periscope/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, loadMigrations } from "../storage/migrations.js";
import { openStorage, type Storage, type TsvInserter } from "../storage/storage.js";
import { isTransientStorageError } from "../storage/storage-errors.js";
import { toRequestRow } from "./request-row.js";
import { REQUEST_COLUMNS, requestRecordsToTsv } from "./request-tsv.js";

let dataDir: string;
let storage: Storage & TsvInserter;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "periscope-tsv-"));
  storage = openStorage({ kind: "embedded", dataDir });
  await applyMigrations(storage, await loadMigrations({ retentionDays: 7 }));
});

afterAll(async () => {
  await storage.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const awkward = [
  "plain",
  "tab\there",
  "line\nbreak",
  "cr\rx",
  "back\\slash",
  "quote'single",
  'quote"double',
  "ünï \u0000 null",
  "\\t literal",
  "{'a':'b'}",
  "",
];

const startNs = BigInt(Date.now() - 60_000) * 1_000_000n + 123_456n;

function records() {
  return awkward.map((text, i) =>
    create(RequestRecordSchema, {
      protocol: "http",
      side: i % 2 === 0 ? Side.CLIENT : Side.SERVER,
      startTimeUnixNano: startNs + BigInt(i),
      durationNano: 2n ** 63n + BigInt(i),
      client: { ip: "::1", port: 65535, service: text, pid: 4_294_967_295, processName: text },
      server: { ip: "10.0.0.2", port: 80, service: "api" },
      operation: text,
      target: `/x/${text}`,
      status: -i,
      error: i % 3 === 0,
      requestBytes: 1n,
      responseBytes: 18_446_744_073_709_551_615n,
      attributes: i === 0 ? {} : { [text || "empty"]: text, "http.host": `h${i}` },
      traceId: text,
      spanId: "s",
      parentSpanId: text,
      truncated: i % 2 === 1,
      sampleWeight: i % 3 === 0 ? 0 : 2.5 * i,
    }),
  );
}

const rows = (agentId: string) => records().map((record) => toRequestRow(agentId, record));
const tsv = (agentId: string) => requestRecordsToTsv(agentId, records());

async function stored(agentId: string) {
  return storage.select<Record<string, unknown>>(
    `SELECT ${REQUEST_COLUMNS.map((column) => (column === "time" ? "toString(time) AS time" : column)).join(", ")} FROM requests WHERE agent_id = {agent:String} ORDER BY time`,
    { agent: agentId },
  );
}

describe("requestRecordsToTsv", () => {
  it("stores exactly what the JSON path stores, escapes included", async () => {
    await storage.insertRows("requests", rows("json"));
    await storage.insertTsv("requests", REQUEST_COLUMNS, tsv("tsv"));
    const viaJson = await stored("json");
    const viaTsv = await stored("tsv");
    expect(viaTsv).toHaveLength(awkward.length);
    expect(viaTsv.map((row) => ({ ...row, agent_id: "json" }))).toEqual(viaJson);
    expect(viaTsv.map((row) => row.operation)).toEqual(awkward);
  });

  it("writes one line per row with every column", () => {
    const lines = tsv("x").toString().split("\n");
    expect(lines).toHaveLength(awkward.length + 1);
    expect(lines.at(-1)).toBe("");
    for (const line of lines.slice(0, -1)) expect(line.split("\t")).toHaveLength(REQUEST_COLUMNS.length);
  });

  it("rejects a malformed body on the embedded engine as permanent, not as an outage", async () => {
    const bad = Buffer.from(`${tsv("bad").toString().split("\n")[0]?.replace(/^\d+/, "not-a-time")}\n`);
    const failure = await storage.insertTsv("requests", REQUEST_COLUMNS, bad).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect(isTransientStorageError(failure)).toBe(false);
    expect(await stored("bad")).toHaveLength(0);
  });
});
