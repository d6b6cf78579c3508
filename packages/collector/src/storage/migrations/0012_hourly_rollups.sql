-- Hourly roll-ups, kept by views on the minute roll-ups (a view fires on the
-- rows its source table receives, so these see pre-aggregated blocks, not raw
-- requests). A day of the map merges ~24 states per edge and side instead of
-- ~1,440: long ranges read whole hours here and only their ragged ends from
-- the minute tables (query/rollup-source.ts). Same keys, codecs and TTL.
CREATE TABLE IF NOT EXISTS {{table:rollup_edges_1h}} {{on_cluster}}
(
    hour             DateTime('UTC')                          CODEC(Delta(4), ZSTD(1)),
    side             LowCardinality(String)                   CODEC(ZSTD(1)),
    protocol         LowCardinality(String)                   CODEC(ZSTD(1)),
    client_name      LowCardinality(String)                   CODEC(ZSTD(1)),
    server_name      LowCardinality(String)                   CODEC(ZSTD(1)),
    client_namespace LowCardinality(String)                   CODEC(ZSTD(1)),
    server_namespace LowCardinality(String)                   CODEC(ZSTD(1)),
    client_named     SimpleAggregateFunction(max, UInt8)      CODEC(ZSTD(1)),
    server_named     SimpleAggregateFunction(max, UInt8)      CODEC(ZSTD(1)),
    requests         SimpleAggregateFunction(sum, UInt64)     CODEC(T64, ZSTD(1)),
    errors           SimpleAggregateFunction(sum, UInt64)     CODEC(T64, ZSTD(1)),
    duration_sum_ns  SimpleAggregateFunction(sum, UInt64)     CODEC(T64, ZSTD(1)),
    latency          AggregateFunction(quantilesTDigest(0.5, 0.9, 0.99), UInt64)
)
ENGINE = {{engine:AggregatingMergeTree}}
PARTITION BY toDate(hour)
ORDER BY (hour, side, protocol, client_name, server_name, client_namespace, server_namespace)
TTL hour + toIntervalDay({{rollup_retention_days}})
SETTINGS ttl_only_drop_parts = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{table:rollup_edges_1h_mv}} {{on_cluster}}
TO {{table:rollup_edges_1h}} AS
SELECT
    toStartOfHour(minute) AS hour,
    side,
    protocol,
    client_name,
    server_name,
    client_namespace,
    server_namespace,
    max(client_named) AS client_named,
    max(server_named) AS server_named,
    sum(requests) AS requests,
    sum(errors) AS errors,
    sum(duration_sum_ns) AS duration_sum_ns,
    quantilesTDigestMergeState(0.5, 0.9, 0.99)(latency) AS latency
FROM {{table:rollup_edges_1m}}
GROUP BY hour, side, protocol, client_name, server_name, client_namespace, server_namespace;

{{distributed:rollup_edges_1h:rand()}};

CREATE TABLE IF NOT EXISTS {{table:rollup_services_1h}} {{on_cluster}}
(
    hour             DateTime('UTC')                          CODEC(Delta(4), ZSTD(1)),
    side             LowCardinality(String)                   CODEC(ZSTD(1)),
    protocol         LowCardinality(String)                   CODEC(ZSTD(1)),
    service          LowCardinality(String)                   CODEC(ZSTD(1)),
    namespace        LowCardinality(String)                   CODEC(ZSTD(1)),
    requests         SimpleAggregateFunction(sum, UInt64)     CODEC(T64, ZSTD(1)),
    errors           SimpleAggregateFunction(sum, UInt64)     CODEC(T64, ZSTD(1)),
    duration_sum_ns  SimpleAggregateFunction(sum, UInt64)     CODEC(T64, ZSTD(1)),
    latency          AggregateFunction(quantilesTDigest(0.5, 0.9, 0.99), UInt64)
)
ENGINE = {{engine:AggregatingMergeTree}}
PARTITION BY toDate(hour)
ORDER BY (service, hour, side, protocol, namespace)
TTL hour + toIntervalDay({{rollup_retention_days}})
SETTINGS ttl_only_drop_parts = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{table:rollup_services_1h_mv}} {{on_cluster}}
TO {{table:rollup_services_1h}} AS
SELECT
    toStartOfHour(minute) AS hour,
    side,
    protocol,
    service,
    namespace,
    sum(requests) AS requests,
    sum(errors) AS errors,
    sum(duration_sum_ns) AS duration_sum_ns,
    quantilesTDigestMergeState(0.5, 0.9, 0.99)(latency) AS latency
FROM {{table:rollup_services_1m}}
GROUP BY hour, side, protocol, service, namespace;

{{distributed:rollup_services_1h:rand()}};

CREATE TABLE IF NOT EXISTS {{table:rollup_endpoints_1h}} {{on_cluster}}
(
    hour             DateTime('UTC')                          CODEC(Delta(4), ZSTD(1)),
    side             LowCardinality(String)                   CODEC(ZSTD(1)),
    service          LowCardinality(String)                   CODEC(ZSTD(1)),
    protocol         LowCardinality(String)                   CODEC(ZSTD(1)),
    operation        LowCardinality(String)                   CODEC(ZSTD(1)),
    target           String                                   CODEC(ZSTD(1)),
    requests         SimpleAggregateFunction(sum, UInt64)     CODEC(T64, ZSTD(1)),
    errors           SimpleAggregateFunction(sum, UInt64)     CODEC(T64, ZSTD(1)),
    duration_sum_ns  SimpleAggregateFunction(sum, UInt64)     CODEC(T64, ZSTD(1)),
    latency          AggregateFunction(quantilesTDigest(0.5, 0.9, 0.99), UInt64)
)
ENGINE = {{engine:AggregatingMergeTree}}
PARTITION BY toDate(hour)
ORDER BY (service, hour, side, protocol, operation, target)
TTL hour + toIntervalDay({{rollup_retention_days}})
SETTINGS ttl_only_drop_parts = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{table:rollup_endpoints_1h_mv}} {{on_cluster}}
TO {{table:rollup_endpoints_1h}} AS
SELECT
    toStartOfHour(minute) AS hour,
    side,
    service,
    protocol,
    operation,
    target,
    sum(requests) AS requests,
    sum(errors) AS errors,
    sum(duration_sum_ns) AS duration_sum_ns,
    quantilesTDigestMergeState(0.5, 0.9, 0.99)(latency) AS latency
FROM {{table:rollup_endpoints_1m}}
GROUP BY hour, side, service, protocol, operation, target;

{{distributed:rollup_endpoints_1h:rand()}}
