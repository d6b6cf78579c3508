// Membership in a subquery, written once so it stays right when the tables
// are Distributed (PERISCOPE_STORAGE_CLUSTER; storage/README.md).
//
// A plain `x IN (SELECT … FROM requests)` inside a query on a Distributed
// table is a "double-distributed" subquery: ClickHouse refuses it by default
// (distributed_product_mode = 'deny', DISTRIBUTED_IN_JOIN_SUBQUERY_DENIED), and
// with 'local' each shard would test its rows against its own shard's part of
// the subquery only — wrong here, because `requests` is sharded by rand(): the
// two observations of one call usually sit on different shards. GLOBAL IN runs
// the subquery once on the initiator and ships the result to every shard as a
// temporary table; on a single node it is an ordinary IN.
// https://clickhouse.com/docs/en/sql-reference/operators/in#distributed-subqueries
// https://clickhouse.com/docs/en/operations/settings/settings#distributed_product_mode

/** `expression GLOBAL IN (subquery)`; the only form of IN-subquery the queries use. */
export function inSubquery(expression: string, subquery: string): string {
  return `${expression} GLOBAL IN (${subquery})`;
}
