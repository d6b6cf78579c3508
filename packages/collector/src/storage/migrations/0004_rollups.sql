-- Per-minute roll-ups kept by materialized views on `requests`, so the map and
-- RED read thousands of pre-aggregated rows instead of millions of requests.
--
-- Both sides of a call stay apart (side in the key): which side counts is
-- decided at query time per edge (client-side rows when the edge has any in
-- the range, else server-side), which a view cannot know at insert time.
--
-- Latency is a t-digest state (quantilesTDigest), not histogram buckets: it
-- merges across minutes, edges and shards with a bounded size, keeps tail
-- quantiles (p99) accurate relative to their value at any scale from µs to
-- minutes, and needs no bucket boundaries chosen in advance. Its cost is
-- approximate quantiles (exact for small counts) and no exact heatmap; the sum
-- alongside gives an exact mean.
--
-- Keys start with the minute: every query is bounded by a time range. Counts
-- are SimpleAggregateFunction(sum): cheaper to merge and read than states.
CREATE TABLE IF NOT EXISTS {{table:rollup_edges_1m}} {{on_cluster}}
(
    minute           DateTime('UTC')                          CODEC(Delta(4), ZSTD(1)),
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
PARTITION BY toDate(minute)
ORDER BY (minute, side, protocol, client_name, server_name, client_namespace, server_namespace)
TTL minute + toIntervalDay({{rollup_retention_days}})
SETTINGS ttl_only_drop_parts = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{table:rollup_edges_1m_mv}} {{on_cluster}}
TO {{table:rollup_edges_1m}} AS
SELECT
    toStartOfMinute(time) AS minute,
    side,
    protocol,
    {{client_name}} AS client_name,
    {{server_name}} AS server_name,
    client_namespace,
    server_namespace,
    max({{client_named}}) AS client_named,
    max({{server_named}}) AS server_named,
    count() AS requests,
    countIf(error) AS errors,
    sum(duration_ns) AS duration_sum_ns,
    quantilesTDigestState(0.5, 0.9, 0.99)(duration_ns) AS latency
FROM {{table:requests}}
GROUP BY minute, side, protocol, client_name, server_name, client_namespace, server_namespace;

{{distributed:rollup_edges_1m:rand()}};

-- Requests each service served (the server end of its inbound edges).
CREATE TABLE IF NOT EXISTS {{table:rollup_services_1m}} {{on_cluster}}
(
    minute           DateTime('UTC')                          CODEC(Delta(4), ZSTD(1)),
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
PARTITION BY toDate(minute)
ORDER BY (service, minute, side, protocol, namespace)
TTL minute + toIntervalDay({{rollup_retention_days}})
SETTINGS ttl_only_drop_parts = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{table:rollup_services_1m_mv}} {{on_cluster}}
TO {{table:rollup_services_1m}} AS
SELECT
    toStartOfMinute(time) AS minute,
    side,
    protocol,
    {{server_name}} AS service,
    server_namespace AS namespace,
    count() AS requests,
    countIf(error) AS errors,
    sum(duration_ns) AS duration_sum_ns,
    quantilesTDigestState(0.5, 0.9, 0.99)(duration_ns) AS latency
FROM {{table:requests}}
GROUP BY minute, side, protocol, service, namespace;

{{distributed:rollup_services_1m:rand()}};

-- Per endpoint: (service, protocol, operation, normalised target: the query
-- string dropped, numeric and long hex/uuid path segments as {id}).
CREATE TABLE IF NOT EXISTS {{table:rollup_endpoints_1m}} {{on_cluster}}
(
    minute           DateTime('UTC')                          CODEC(Delta(4), ZSTD(1)),
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
PARTITION BY toDate(minute)
ORDER BY (service, minute, side, protocol, operation, target)
TTL minute + toIntervalDay({{rollup_retention_days}})
SETTINGS ttl_only_drop_parts = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{table:rollup_endpoints_1m_mv}} {{on_cluster}}
TO {{table:rollup_endpoints_1m}} AS
SELECT
    toStartOfMinute(time) AS minute,
    side,
    {{server_name}} AS service,
    protocol,
    operation,
    left(arrayStringConcat(arrayMap(segment -> if(match(segment, '^([0-9]+|[0-9a-fA-F-]{16,})$'), '{id}', segment), splitByChar('/', splitByChar('?', target)[1])), '/'), 256) AS target,
    count() AS requests,
    countIf(error) AS errors,
    sum(duration_ns) AS duration_sum_ns,
    quantilesTDigestState(0.5, 0.9, 0.99)(duration_ns) AS latency
FROM {{table:requests}}
GROUP BY minute, side, service, protocol, operation, target;

{{distributed:rollup_endpoints_1m:rand()}}
