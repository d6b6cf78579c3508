// Numbered .sql migrations, applied in order at start and recorded in
// schema_migrations so a restart applies nothing twice.
import { readdir, readFile } from "node:fs/promises";
import type { Storage } from "./storage.js";

export interface MigrationSettings {
  retentionDays: number;
}

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

/**
 * Fills `{{name}}` placeholders with operator settings. Values come from the
 * validated configuration, never from a request; DDL cannot take query
 * parameters, which is why this is text substitution at all.
 */
export function renderMigrationSql(sql: string, settings: MigrationSettings): string {
  const values: Record<string, string> = { retention_days: String(Math.trunc(settings.retentionDays)) };
  return sql.replace(/\{\{(\w+)\}\}/g, (_match, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`migration uses unknown placeholder {{${key}}}`);
    return value;
  });
}

function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.trim())
    .filter((statement) => statement.replace(/--.*$/gm, "").trim() !== "");
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
      statements: splitStatements(renderMigrationSql(sql, settings)),
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
