// Numbered .sql migrations, applied in order at start and recorded in
// schema_migrations so a restart applies nothing twice. Every statement is
// idempotent (IF NOT EXISTS) as well, so a start that died half-way through a
// migration, or a cluster node whose schema_migrations lags (it is node-local;
// the DDL itself runs ON CLUSTER), simply runs it again.
import { readdir, readFile } from "node:fs/promises";
import { renderMigration, renderStatement, type SchemaSettings } from "./ddl-template.js";
import type { Storage } from "./storage.js";

export type MigrationSettings = SchemaSettings;

export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

const MIGRATIONS_DIR = new URL("./migrations/", import.meta.url);
const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;

const CREATE_SCHEMA_MIGRATIONS = `
CREATE TABLE IF NOT EXISTS schema_migrations
(
    version    UInt32,
    name       String,
    applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
ORDER BY version`;

/** Renders a single-statement template (kept for callers that render one piece of DDL). */
export function renderMigrationSql(sql: string, settings: MigrationSettings): string {
  return renderStatement(sql, settings);
}

export async function loadMigrations(
  settings: MigrationSettings,
  dir: URL = MIGRATIONS_DIR,
): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => file.endsWith(".sql")).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_NAME.exec(file);
    if (match === null) throw new Error(`migration file name "${file}" is not NNNN_name.sql`);
    const sql = await readFile(new URL(file, dir), "utf8");
    migrations.push({
      version: Number(match[1]),
      name: match[2] ?? file,
      statements: renderMigration(sql, settings),
    });
  }
  const versions = new Set(migrations.map((migration) => migration.version));
  if (versions.size !== migrations.length) throw new Error("two migration files share a version number");
  return migrations;
}

/** Applies every migration not yet recorded; returns the versions applied now. */
export async function applyMigrations(storage: Storage, migrations: readonly Migration[]): Promise<number[]> {
  await storage.command(CREATE_SCHEMA_MIGRATIONS);
  const applied = await storage.select<{ version: number }>("SELECT version FROM schema_migrations");
  const appliedVersions = new Set(applied.map((row) => Number(row.version)));
  const appliedNow: number[] = [];
  for (const migration of migrations) {
    if (appliedVersions.has(migration.version)) continue;
    for (const statement of migration.statements) await storage.command(statement);
    await storage.insertRows("schema_migrations", [{ version: migration.version, name: migration.name }]);
    appliedNow.push(migration.version);
  }
  return appliedNow;
}
