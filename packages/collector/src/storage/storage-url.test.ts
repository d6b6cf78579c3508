// A password in PERISCOPE_STORAGE_URL, one holding `#`, `@` and `/`, never
// appears in anything the collector prints or answers: the configuration
// error of a malformed URL, its logs, thrown start-up errors, the CLI's
// output, /api/v1/stats, /metrics and the OpenAPI document. And, percent-
// encoded as a URL requires, it is what the server receives.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startCollector } from "../collector.js";
import { ConfigError, loadConfig } from "../config.js";
import { requestRecord } from "../fixtures/ingest-client.js";
import { type CollectorUnderTest, startCollectorUnderTest } from "../http/fixtures/running-collector.js";
import {
  type ClickHouseHttpStandIn,
  startClickHouseHttpStandIn,
} from "./fixtures/clickhouse-http-stand-in.js";
import { redactStorageUrl, splitCredentials } from "./storage-url.js";

const PASSWORD = "s3cr#t@pa/ss";
const ENCODED = encodeURIComponent(PASSWORD); // s3cr%23t%40pa%2Fss
// As typed without encoding: `#` starts a fragment, `/` a path: not a URL one can use.
const MALFORMED = `http://periscope:${PASSWORD}@clickhouse:8123/periscope`;

/** Any recognisable piece of the password, raw or encoded. */
function leaks(text: string): string[] {
  return ["s3cr", "pa/ss", "t@pa", "%23t", "pa%2F", "t%40"].filter((piece) => text.includes(piece));
}

function everything(error: unknown): string {
  const own = error instanceof Error ? JSON.stringify(error, Object.getOwnPropertyNames(error)) : "";
  return `${String(error)}\n${(error as Error)?.stack ?? ""}\n${own}\n${inspect(error, { depth: 10 })}`;
}

describe("redactStorageUrl / splitCredentials", () => {
  it("hides everything up to the last @, parseable or not", () => {
    expect(redactStorageUrl(MALFORMED)).toBe("http://***@clickhouse:8123/periscope");
    expect(redactStorageUrl(`http://periscope:${ENCODED}@clickhouse:8123`)).toBe(
      "http://***@clickhouse:8123",
    );
    expect(redactStorageUrl("http://clickhouse:8123")).toBe("http://clickhouse:8123");
  });

  it("hands the client a URL without user-info and the decoded password apart", () => {
    expect(splitCredentials(`https://periscope:${ENCODED}@clickhouse:8443/db?x=1`)).toEqual({
      url: "https://clickhouse:8443/db?x=1",
      username: "periscope",
      password: PASSWORD,
    });
    expect(() => splitCredentials(MALFORMED)).toThrow(
      "storage URL is malformed: http://***@clickhouse:8123/periscope",
    );
  });
});

describe("a malformed storage URL", () => {
  it("is refused with a message that shows the URL without its password", () => {
    let error: unknown;
    try {
      loadConfig({ PERISCOPE_STORAGE_URL: MALFORMED });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      'invalid configuration: PERISCOPE_STORAGE_URL: expected an http(s) URL like http://user:password@host:8123/database (percent-encode # @ / : in the password), got "http://***@clickhouse:8123/periscope"',
    );
    expect(leaks(everything(error))).toEqual([]);
  });

  it("is refused by the CLI without printing the password", async () => {
    const serverTs = fileURLToPath(new URL("../server.ts", import.meta.url));
    const output = await new Promise<{ code: number | null; text: string }>((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", serverTs], {
        env: { ...process.env, PERISCOPE_STORAGE_URL: MALFORMED, PERISCOPE_HTTP_PORT: "0" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let text = "";
      child.stdout.on("data", (chunk: Buffer) => {
        text += chunk.toString();
      });
      child.stderr.on("data", (chunk: Buffer) => {
        text += chunk.toString();
      });
      child.once("exit", (code) => resolve({ code, text }));
    });
    expect(output.code).toBe(1);
    expect(output.text).toContain("PERISCOPE_STORAGE_URL");
    expect(leaks(output.text)).toEqual([]);
  });
});

describe("a password with # @ / in a working storage URL", () => {
  let standInDir: string;
  let standIn: ClickHouseHttpStandIn;
  let collector: CollectorUnderTest;
  let url: string;
  const logLines: string[] = [];
  const consoleCalls: unknown[][] = [];

  beforeAll(async () => {
    for (const method of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        consoleCalls.push(args);
      });
    }
    standInDir = mkdtempSync(join(tmpdir(), "periscope-secret-standin-"));
    standIn = await startClickHouseHttpStandIn(standInDir);
    url = standIn.url.replace("http://", `http://periscope:${ENCODED}@`);
    collector = await startCollectorUnderTest({
      storageUrl: url,
      queryMaxRows: 1,
      logger: {
        level: "trace",
        stream: new Writable({
          write(chunk: Buffer, _encoding, done) {
            logLines.push(chunk.toString());
            done();
          },
        }),
      },
    });
  });

  afterAll(async () => {
    await collector?.close();
    await standIn?.close();
    rmSync(standInDir, { recursive: true, force: true });
    vi.restoreAllMocks();
  });

  it("reaches the server decoded, and never appears in logs, answers, metrics or thrown errors", async () => {
    const sent = standIn.seen.map((seen) => seen.authorization ?? "");
    expect(sent.length).toBeGreaterThan(0);
    const expected = `Basic ${Buffer.from(`periscope:${PASSWORD}`).toString("base64")}`;
    expect(sent.every((header) => header === expected)).toBe(true);

    // A query refused by the engine (max_rows_to_read = 1) and a storage outage: both logged.
    const now = Date.now();
    const requests = [0, 1, 2].map((i) =>
      requestRecord({
        side: "server",
        startMs: now - 1_000 - i,
        durationMs: 1,
        client: { service: "web", ip: "10.0.0.1", port: 40_000 },
        server: { service: "api", ip: "10.0.0.2", port: 8080 },
      }),
    );
    expect((await collector.ingest.send({ agentId: "secret-agent", batchSeq: 1n, requests })).ok).toBe(true);
    expect((await collector.get(`/api/v1/requests?from=${now - 60_000}&to=${now}`)).status).toBe(422);
    await standIn.stop();
    expect((await collector.get("/api/v1/health")).status).toBe(503);
    const answers = [
      JSON.stringify((await collector.get("/api/v1/stats")).body),
      JSON.stringify((await collector.get("/api/v1/openapi.json")).body),
      await fetch(`${collector.collector.httpUrl}/metrics`).then((r) => r.text()),
    ];
    // Start-up against the stopped server throws: its error, whole.
    const startError = await startCollector({
      storageUrl: url,
      dataDir: join(standInDir, "unused"),
      httpPort: 0,
      grpcAddress: "127.0.0.1:0",
    }).then(
      async (started) => {
        await started.close();
        return undefined;
      },
      (error: unknown) => error,
    );
    expect(startError).toBeDefined();
    await standIn.start();

    expect(logLines.some((line) => line.includes("PERISCOPE_QUERY_MAX_ROWS"))).toBe(true);
    expect(leaks(logLines.join("\n"))).toEqual([]);
    expect(leaks(answers.join("\n"))).toEqual([]);
    expect(leaks(everything(startError))).toEqual([]);
    expect(
      leaks(consoleCalls.map((args) => args.map((arg) => inspect(arg, { depth: 10 })).join(" ")).join("\n")),
    ).toEqual([]);
  });
});
