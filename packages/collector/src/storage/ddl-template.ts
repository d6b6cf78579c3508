// Renders migration .sql templates for one storage layout. DDL cannot take
// query parameters, so values here come only from validated configuration
// (integers, an identifier-checked cluster name), never from a request.
//
// Placeholders:
//   {{retention_days}} and the other *_days   TTL days from config
//   {{on_cluster}}                            "" | ON CLUSTER 'name'
//   {{table:NAME}}                            NAME | NAME_local (the table holding data)
//   {{engine:Kind}} / {{engine:Kind:args}}    Kind(args) | ReplicatedKind(zk path, replica, args)
//   {{distributed:NAME:sharding key}}         (whole statement) nothing | the Distributed NAME over NAME_local
//   {{cluster_only}}                          (statement prefix) the statement runs in cluster mode only
//
// In cluster mode every reader and writer keeps using the plain NAME: it is the
// Distributed table, so queries and inserts are the same text in both modes.
// Materialized views sit on the local tables: an insert into the Distributed
// table lands on a shard's local table, which fires the view there.
import {
  CLIENT_NAME_SQL,
  CLIENT_NAMED_SQL,
  NAMES_BEFORE_PEER_GROUPING,
  SERVER_NAME_SQL,
  SERVER_NAMED_SQL,
} from "../query/service-naming.js";

export interface SchemaSettings {
  /** requests (and other raw per-event tables). */
  retentionDays: number;
  rollupRetentionDays?: number;
  profileRetentionDays?: number;
  linkRetentionDays?: number;
  agentRetentionDays?: number;
  /** ClickHouse cluster name (remote_servers); empty or absent is a single node. */
  cluster?: string;
}

export const DEFAULT_RETENTION = {
  rollupRetentionDays: 30,
  profileRetentionDays: 7,
  linkRetentionDays: 90,
  agentRetentionDays: 30,
} as const;

const CLUSTER_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;
// {shard} and {replica} are the server's macros; {database}/{table} expand per table.
const REPLICA_PATH = "'/clickhouse/tables/{shard}/{database}/{table}', '{replica}'";
const CLUSTER_ONLY = "{{cluster_only}}";

export function clusterOf(settings: SchemaSettings): string {
  const cluster = settings.cluster ?? "";
  if (cluster !== "" && !CLUSTER_NAME.test(cluster)) {
    throw new Error(`cluster name "${cluster}" is not an identifier`);
  }
  return cluster;
}

/** The name of the table that holds NAME's rows in this layout. */
export function localTableName(name: string, settings: SchemaSettings): string {
  return clusterOf(settings) === "" ? name : `${name}_local`;
}

function days(value: number): string {
  const whole = Math.trunc(value);
  if (!Number.isFinite(whole) || whole < 1) throw new Error(`retention must be at least 1 day, got ${value}`);
  return String(whole);
}

function scalarValues(settings: SchemaSettings): Record<string, string> {
  const cluster = clusterOf(settings);
  return {
    retention_days: days(settings.retentionDays),
    rollup_retention_days: days(settings.rollupRetentionDays ?? DEFAULT_RETENTION.rollupRetentionDays),
    profile_retention_days: days(settings.profileRetentionDays ?? DEFAULT_RETENTION.profileRetentionDays),
    link_retention_days: days(settings.linkRetentionDays ?? DEFAULT_RETENTION.linkRetentionDays),
    agent_retention_days: days(settings.agentRetentionDays ?? DEFAULT_RETENTION.agentRetentionDays),
    on_cluster: cluster === "" ? "" : `ON CLUSTER '${cluster}'`,
    // One naming rule for roll-ups and the request name columns (query/service-naming.ts).
    // {{client_name}}/{{server_name}}: as migrations up to 0013 shipped them; later ones use _v2.
    client_name: NAMES_BEFORE_PEER_GROUPING.client,
    server_name: NAMES_BEFORE_PEER_GROUPING.server,
    client_name_v2: CLIENT_NAME_SQL,
    server_name_v2: SERVER_NAME_SQL,
    client_named: CLIENT_NAMED_SQL,
    server_named: SERVER_NAMED_SQL,
  };
}

function engine(argument: string, cluster: string): string {
  const separator = argument.indexOf(":");
  const kind = separator < 0 ? argument : argument.slice(0, separator);
  const args = separator < 0 ? "" : argument.slice(separator + 1);
  if (!/^[A-Za-z]*MergeTree$/.test(kind)) throw new Error(`{{engine:${argument}}} is not a MergeTree family`);
  if (cluster === "") return `${kind}(${args})`;
  return `Replicated${kind}(${REPLICA_PATH}${args === "" ? "" : `, ${args}`})`;
}

function distributed(argument: string, cluster: string): string {
  const separator = argument.indexOf(":");
  if (separator < 0) throw new Error(`{{distributed:${argument}}} needs NAME:sharding key`);
  const name = argument.slice(0, separator);
  const key = argument.slice(separator + 1);
  if (cluster === "") return "";
  return (
    `CREATE TABLE IF NOT EXISTS ${name} ON CLUSTER '${cluster}' AS ${name}_local ` +
    `ENGINE = Distributed('${cluster}', currentDatabase(), '${name}_local', ${key})`
  );
}

/** Renders one statement; returns "" when it does not exist in this layout. */
export function renderStatement(template: string, settings: SchemaSettings): string {
  const cluster = clusterOf(settings);
  let sql = template.trim();
  if (sql.startsWith(CLUSTER_ONLY)) {
    if (cluster === "") return "";
    sql = sql.slice(CLUSTER_ONLY.length).trim();
  }
  const values = scalarValues(settings);
  const rendered = sql.replace(/\{\{(\w+)(?::([^}]*))?\}\}/g, (_match, key: string, argument?: string) => {
    if (key === "table" && argument) return cluster === "" ? argument : `${argument}_local`;
    if (key === "engine" && argument) return engine(argument, cluster);
    if (key === "distributed" && argument) return distributed(argument, cluster);
    const value = argument === undefined ? values[key] : undefined;
    if (value === undefined) throw new Error(`migration uses unknown placeholder {{${key}}}`);
    return value;
  });
  // A placeholder that renders to nothing at the end ({{on_cluster}}) leaves no trailing space.
  return rendered.trimEnd();
}

/** Splits a migration file into statements (`;` at a line end) and renders each. */
export function renderMigration(sql: string, settings: SchemaSettings): string[] {
  return sql
    .split(/;\s*(?:\n|$)/)
    .filter((statement) => statement.replace(/--.*$/gm, "").trim() !== "")
    .map((statement) => renderStatement(statement.replace(/^\s*(--.*\n\s*)*/, ""), settings))
    .filter((statement) => statement !== "");
}
