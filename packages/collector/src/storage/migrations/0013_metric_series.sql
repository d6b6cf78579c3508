-- The map, RED and endpoints read metric series from the agents
-- (ExportRequest.metrics): every request folded at the edge into per-interval
-- counts, bytes and a base-2 exponential latency histogram, so the figures
-- stay exact while request records are sampled within a budget. The per-minute
-- and hourly roll-ups of 0004/0012 were kept by views on `requests`; they are
-- replaced here by views on `metric_series`, and dropped.
--
-- Map history from before this upgrade is NOT converted: a t-digest state
-- cannot be turned into histogram buckets, so the map, RED and endpoints start
-- empty and fill from the agents' series from the upgrade on. Request history
-- (`requests`) is untouched.

-- The input of the roll-ups. ENGINE = Null keeps nothing: an insert block
-- passes through the views below and is discarded, so a series costs no part
-- of its own and no merges (issue #16: every part written is merged back for
-- the rest of the day). Nothing reads raw series; an interval of ≤ 10 s is
-- finer than any query asks for, and the minute roll-up keeps the same figures
-- exactly. Columns are plain String, not LowCardinality: nothing is stored
-- here, and building dictionaries would only cost parse time. The identity
-- columns carry the names `requests` has, so the naming SQL of
-- query/service-naming.ts ({{client_name}}, {{server_name}}) reads both.
--
-- Latency: bucket indexes and counts at the storage scale
-- (LATENCY_SCALE = 5, relative error 1.08%; packages/proto
-- exponential-histogram.ts), finer scales are reduced exactly at ingest.
-- Durations of 1 ns to 2^64 ns lie in buckets -1..2047, hence Int16.
CREATE TABLE IF NOT EXISTS {{table:metric_series}} {{on_cluster}}
(
    start_time         DateTime64(9, 'UTC'),
    interval_ns        UInt64,
    agent_id           String,
    kind               String,
    side               String,
    protocol           String,
    client_ip          String,
    client_port        UInt16,
    client_service     String,
    client_process     String,
    client_namespace   String,
    client_workload    String,
    server_ip          String,
    server_port        UInt16,
    server_service     String,
    server_process     String,
    server_namespace   String,
    server_workload    String,
    server_host        String,
    operation          String,
    target             String,
    status_class       String,
    request_count      UInt64,
    error_count        UInt64,
    request_bytes      UInt64,
    response_bytes     UInt64,
    duration_sum_ns    UInt64,
    latency_zero_count UInt64,
    latency_buckets    Array(Int16),
    latency_counts     Array(UInt64)
)
ENGINE = Null;

{{distributed:metric_series:rand()}};

-- The old roll-ups: views first (the hourly ones read the minute tables).
DROP VIEW IF EXISTS {{table:rollup_edges_1h_mv}} {{on_cluster}};
DROP VIEW IF EXISTS {{table:rollup_services_1h_mv}} {{on_cluster}};
DROP VIEW IF EXISTS {{table:rollup_endpoints_1h_mv}} {{on_cluster}};
DROP VIEW IF EXISTS {{table:rollup_edges_1m_mv}} {{on_cluster}};
DROP VIEW IF EXISTS {{table:rollup_services_1m_mv}} {{on_cluster}};
DROP VIEW IF EXISTS {{table:rollup_endpoints_1m_mv}} {{on_cluster}};
{{cluster_only}} DROP TABLE IF EXISTS rollup_edges_1h {{on_cluster}};
{{cluster_only}} DROP TABLE IF EXISTS rollup_services_1h {{on_cluster}};
{{cluster_only}} DROP TABLE IF EXISTS rollup_endpoints_1h {{on_cluster}};
{{cluster_only}} DROP TABLE IF EXISTS rollup_edges_1m {{on_cluster}};
{{cluster_only}} DROP TABLE IF EXISTS rollup_services_1m {{on_cluster}};
{{cluster_only}} DROP TABLE IF EXISTS rollup_endpoints_1m {{on_cluster}};
DROP TABLE IF EXISTS {{table:rollup_edges_1h}} {{on_cluster}};
DROP TABLE IF EXISTS {{table:rollup_services_1h}} {{on_cluster}};
DROP TABLE IF EXISTS {{table:rollup_endpoints_1h}} {{on_cluster}};
DROP TABLE IF EXISTS {{table:rollup_edges_1m}} {{on_cluster}};
DROP TABLE IF EXISTS {{table:rollup_services_1m}} {{on_cluster}};
DROP TABLE IF EXISTS {{table:rollup_endpoints_1m}} {{on_cluster}};

-- Per minute and edge (client, server, protocol, namespaces), both sides kept
-- apart as before: which side counts is decided per edge at query time.
--
-- Latency is sumMap over (bucket, count): histograms of one scale merge
-- exactly by adding counts bucket by bucket, across agents, intervals,
-- minutes and hours, so a quantile read over any range is the quantile of
-- every request in it within the scale's 1.08% (what the t-digest of 0004
-- could not promise after merging). SimpleAggregateFunction: the value is the
-- plain tuple, merged by the engine, read without -Merge. An edge's minute
-- fills a few dozen buckets (10 bytes each: an Int16 index, a UInt64 count).
-- status_classes counts requests per class ("2xx".."5xx", "ok", "error") in
-- the row, not in the key, so the row count does not multiply by class.
CREATE TABLE IF NOT EXISTS {{table:metric_edges_1m}} {{on_cluster}}
(
    minute             DateTime('UTC')                                                     CODEC(Delta(4), ZSTD(1)),
    side               LowCardinality(String)                                              CODEC(ZSTD(1)),
    protocol           LowCardinality(String)                                              CODEC(ZSTD(1)),
    client_name        LowCardinality(String)                                              CODEC(ZSTD(1)),
    server_name        LowCardinality(String)                                              CODEC(ZSTD(1)),
    client_namespace   LowCardinality(String)                                              CODEC(ZSTD(1)),
    server_namespace   LowCardinality(String)                                              CODEC(ZSTD(1)),
    client_named       SimpleAggregateFunction(max, UInt8)                                 CODEC(ZSTD(1)),
    server_named       SimpleAggregateFunction(max, UInt8)                                 CODEC(ZSTD(1)),
    requests           SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    errors             SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    request_bytes      SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    response_bytes     SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    duration_sum_ns    SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    latency_zero_count SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    latency            SimpleAggregateFunction(sumMap, Tuple(Array(Int16), Array(UInt64))) CODEC(ZSTD(1)),
    status_classes     SimpleAggregateFunction(sumMap, Tuple(Array(String), Array(UInt64))) CODEC(ZSTD(1))
)
ENGINE = {{engine:AggregatingMergeTree}}
PARTITION BY toDate(minute)
ORDER BY (minute, side, protocol, client_name, server_name, client_namespace, server_namespace)
TTL minute + toIntervalDay({{rollup_retention_days}})
SETTINGS ttl_only_drop_parts = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{table:metric_edges_1m_mv}} {{on_cluster}}
TO {{table:metric_edges_1m}} AS
SELECT
    toStartOfMinute(start_time) AS minute,
    side,
    protocol,
    {{client_name}} AS client_name,
    {{server_name}} AS server_name,
    client_namespace,
    server_namespace,
    max({{client_named}}) AS client_named,
    max({{server_named}}) AS server_named,
    sum(request_count) AS requests,
    sum(error_count) AS errors,
    sum(request_bytes) AS request_bytes,
    sum(response_bytes) AS response_bytes,
    sum(duration_sum_ns) AS duration_sum_ns,
    sum(latency_zero_count) AS latency_zero_count,
    sumMap(latency_buckets, latency_counts) AS latency,
    sumMap([status_class], [request_count]) AS status_classes
FROM {{table:metric_series}}
WHERE kind = 'edge'
GROUP BY minute, side, protocol, client_name, server_name, client_namespace, server_namespace;

{{distributed:metric_edges_1m:rand()}};

-- Requests each service served: the server end of its inbound edges.
CREATE TABLE IF NOT EXISTS {{table:metric_services_1m}} {{on_cluster}}
(
    minute             DateTime('UTC')                                                     CODEC(Delta(4), ZSTD(1)),
    side               LowCardinality(String)                                              CODEC(ZSTD(1)),
    protocol           LowCardinality(String)                                              CODEC(ZSTD(1)),
    service            LowCardinality(String)                                              CODEC(ZSTD(1)),
    namespace          LowCardinality(String)                                              CODEC(ZSTD(1)),
    requests           SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    errors             SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    request_bytes      SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    response_bytes     SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    duration_sum_ns    SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    latency_zero_count SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    latency            SimpleAggregateFunction(sumMap, Tuple(Array(Int16), Array(UInt64))) CODEC(ZSTD(1)),
    status_classes     SimpleAggregateFunction(sumMap, Tuple(Array(String), Array(UInt64))) CODEC(ZSTD(1))
)
ENGINE = {{engine:AggregatingMergeTree}}
PARTITION BY toDate(minute)
ORDER BY (service, minute, side, protocol, namespace)
TTL minute + toIntervalDay({{rollup_retention_days}})
SETTINGS ttl_only_drop_parts = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{table:metric_services_1m_mv}} {{on_cluster}}
TO {{table:metric_services_1m}} AS
SELECT
    toStartOfMinute(start_time) AS minute,
    side,
    protocol,
    {{server_name}} AS service,
    server_namespace AS namespace,
    sum(request_count) AS requests,
    sum(error_count) AS errors,
    sum(request_bytes) AS request_bytes,
    sum(response_bytes) AS response_bytes,
    sum(duration_sum_ns) AS duration_sum_ns,
    sum(latency_zero_count) AS latency_zero_count,
    sumMap(latency_buckets, latency_counts) AS latency,
    sumMap([status_class], [request_count]) AS status_classes
FROM {{table:metric_series}}
WHERE kind = 'edge'
GROUP BY minute, side, protocol, service, namespace;

{{distributed:metric_services_1m:rand()}};

-- Per endpoint: (service, protocol, operation, target template). Targets
-- arrive templated by the agent ("/users/{id}", "{overflow}" past its cap).
CREATE TABLE IF NOT EXISTS {{table:metric_endpoints_1m}} {{on_cluster}}
(
    minute             DateTime('UTC')                                                     CODEC(Delta(4), ZSTD(1)),
    side               LowCardinality(String)                                              CODEC(ZSTD(1)),
    service            LowCardinality(String)                                              CODEC(ZSTD(1)),
    protocol           LowCardinality(String)                                              CODEC(ZSTD(1)),
    operation          LowCardinality(String)                                              CODEC(ZSTD(1)),
    target             String                                                              CODEC(ZSTD(1)),
    requests           SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    errors             SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    request_bytes      SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    response_bytes     SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    duration_sum_ns    SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    latency_zero_count SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    latency            SimpleAggregateFunction(sumMap, Tuple(Array(Int16), Array(UInt64))) CODEC(ZSTD(1)),
    status_classes     SimpleAggregateFunction(sumMap, Tuple(Array(String), Array(UInt64))) CODEC(ZSTD(1))
)
ENGINE = {{engine:AggregatingMergeTree}}
PARTITION BY toDate(minute)
ORDER BY (service, minute, side, protocol, operation, target)
TTL minute + toIntervalDay({{rollup_retention_days}})
SETTINGS ttl_only_drop_parts = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{table:metric_endpoints_1m_mv}} {{on_cluster}}
TO {{table:metric_endpoints_1m}} AS
SELECT
    toStartOfMinute(start_time) AS minute,
    side,
    {{server_name}} AS service,
    protocol,
    operation,
    target,
    sum(request_count) AS requests,
    sum(error_count) AS errors,
    sum(request_bytes) AS request_bytes,
    sum(response_bytes) AS response_bytes,
    sum(duration_sum_ns) AS duration_sum_ns,
    sum(latency_zero_count) AS latency_zero_count,
    sumMap(latency_buckets, latency_counts) AS latency,
    sumMap([status_class], [request_count]) AS status_classes
FROM {{table:metric_series}}
WHERE kind = 'endpoint'
GROUP BY minute, side, service, protocol, operation, target;

{{distributed:metric_endpoints_1m:rand()}};

-- Hourly, chained on the minute tables as 0012 did (a view fires on the rows
-- its source receives: pre-aggregated minute blocks). A day of the map adds
-- ~24 histograms per edge and side instead of ~1,440.
CREATE TABLE IF NOT EXISTS {{table:metric_edges_1h}} {{on_cluster}}
(
    hour               DateTime('UTC')                                                     CODEC(Delta(4), ZSTD(1)),
    side               LowCardinality(String)                                              CODEC(ZSTD(1)),
    protocol           LowCardinality(String)                                              CODEC(ZSTD(1)),
    client_name        LowCardinality(String)                                              CODEC(ZSTD(1)),
    server_name        LowCardinality(String)                                              CODEC(ZSTD(1)),
    client_namespace   LowCardinality(String)                                              CODEC(ZSTD(1)),
    server_namespace   LowCardinality(String)                                              CODEC(ZSTD(1)),
    client_named       SimpleAggregateFunction(max, UInt8)                                 CODEC(ZSTD(1)),
    server_named       SimpleAggregateFunction(max, UInt8)                                 CODEC(ZSTD(1)),
    requests           SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    errors             SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    request_bytes      SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    response_bytes     SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    duration_sum_ns    SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    latency_zero_count SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    latency            SimpleAggregateFunction(sumMap, Tuple(Array(Int16), Array(UInt64))) CODEC(ZSTD(1)),
    status_classes     SimpleAggregateFunction(sumMap, Tuple(Array(String), Array(UInt64))) CODEC(ZSTD(1))
)
ENGINE = {{engine:AggregatingMergeTree}}
PARTITION BY toDate(hour)
ORDER BY (hour, side, protocol, client_name, server_name, client_namespace, server_namespace)
TTL hour + toIntervalDay({{rollup_retention_days}})
SETTINGS ttl_only_drop_parts = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{table:metric_edges_1h_mv}} {{on_cluster}}
TO {{table:metric_edges_1h}} AS
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
    sum(request_bytes) AS request_bytes,
    sum(response_bytes) AS response_bytes,
    sum(duration_sum_ns) AS duration_sum_ns,
    sum(latency_zero_count) AS latency_zero_count,
    sumMap(latency) AS latency,
    sumMap(status_classes) AS status_classes
FROM {{table:metric_edges_1m}}
GROUP BY hour, side, protocol, client_name, server_name, client_namespace, server_namespace;

{{distributed:metric_edges_1h:rand()}};

CREATE TABLE IF NOT EXISTS {{table:metric_services_1h}} {{on_cluster}}
(
    hour               DateTime('UTC')                                                     CODEC(Delta(4), ZSTD(1)),
    side               LowCardinality(String)                                              CODEC(ZSTD(1)),
    protocol           LowCardinality(String)                                              CODEC(ZSTD(1)),
    service            LowCardinality(String)                                              CODEC(ZSTD(1)),
    namespace          LowCardinality(String)                                              CODEC(ZSTD(1)),
    requests           SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    errors             SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    request_bytes      SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    response_bytes     SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    duration_sum_ns    SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    latency_zero_count SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    latency            SimpleAggregateFunction(sumMap, Tuple(Array(Int16), Array(UInt64))) CODEC(ZSTD(1)),
    status_classes     SimpleAggregateFunction(sumMap, Tuple(Array(String), Array(UInt64))) CODEC(ZSTD(1))
)
ENGINE = {{engine:AggregatingMergeTree}}
PARTITION BY toDate(hour)
ORDER BY (service, hour, side, protocol, namespace)
TTL hour + toIntervalDay({{rollup_retention_days}})
SETTINGS ttl_only_drop_parts = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{table:metric_services_1h_mv}} {{on_cluster}}
TO {{table:metric_services_1h}} AS
SELECT
    toStartOfHour(minute) AS hour,
    side,
    protocol,
    service,
    namespace,
    sum(requests) AS requests,
    sum(errors) AS errors,
    sum(request_bytes) AS request_bytes,
    sum(response_bytes) AS response_bytes,
    sum(duration_sum_ns) AS duration_sum_ns,
    sum(latency_zero_count) AS latency_zero_count,
    sumMap(latency) AS latency,
    sumMap(status_classes) AS status_classes
FROM {{table:metric_services_1m}}
GROUP BY hour, side, protocol, service, namespace;

{{distributed:metric_services_1h:rand()}};

CREATE TABLE IF NOT EXISTS {{table:metric_endpoints_1h}} {{on_cluster}}
(
    hour               DateTime('UTC')                                                     CODEC(Delta(4), ZSTD(1)),
    side               LowCardinality(String)                                              CODEC(ZSTD(1)),
    service            LowCardinality(String)                                              CODEC(ZSTD(1)),
    protocol           LowCardinality(String)                                              CODEC(ZSTD(1)),
    operation          LowCardinality(String)                                              CODEC(ZSTD(1)),
    target             String                                                              CODEC(ZSTD(1)),
    requests           SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    errors             SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    request_bytes      SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    response_bytes     SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    duration_sum_ns    SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    latency_zero_count SimpleAggregateFunction(sum, UInt64)                                CODEC(T64, ZSTD(1)),
    latency            SimpleAggregateFunction(sumMap, Tuple(Array(Int16), Array(UInt64))) CODEC(ZSTD(1)),
    status_classes     SimpleAggregateFunction(sumMap, Tuple(Array(String), Array(UInt64))) CODEC(ZSTD(1))
)
ENGINE = {{engine:AggregatingMergeTree}}
PARTITION BY toDate(hour)
ORDER BY (service, hour, side, protocol, operation, target)
TTL hour + toIntervalDay({{rollup_retention_days}})
SETTINGS ttl_only_drop_parts = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{table:metric_endpoints_1h_mv}} {{on_cluster}}
TO {{table:metric_endpoints_1h}} AS
SELECT
    toStartOfHour(minute) AS hour,
    side,
    service,
    protocol,
    operation,
    target,
    sum(requests) AS requests,
    sum(errors) AS errors,
    sum(request_bytes) AS request_bytes,
    sum(response_bytes) AS response_bytes,
    sum(duration_sum_ns) AS duration_sum_ns,
    sum(latency_zero_count) AS latency_zero_count,
    sumMap(latency) AS latency,
    sumMap(status_classes) AS status_classes
FROM {{table:metric_endpoints_1m}}
GROUP BY hour, side, service, protocol, operation, target;

{{distributed:metric_endpoints_1h:rand()}};

-- Request records now travel within a per-agent budget; each kept record
-- stands for 1 / (the probability it was kept) requests. 1 for records kept
-- unconditionally and for every row stored before this migration.
ALTER TABLE {{table:requests}} {{on_cluster}}
    ADD COLUMN IF NOT EXISTS sample_weight Float32 DEFAULT 1 CODEC(ZSTD(1)) AFTER truncated;

{{cluster_only}} ALTER TABLE requests {{on_cluster}}
    ADD COLUMN IF NOT EXISTS sample_weight Float32 DEFAULT 1 AFTER truncated;

-- Picker counts are requests, not records: each record adds its weight.
DROP VIEW IF EXISTS {{table:picker_names_mv}} {{on_cluster}};

CREATE MATERIALIZED VIEW IF NOT EXISTS {{table:picker_names_mv}} {{on_cluster}}
TO {{table:picker_names}} AS
SELECT
    toDate(time) AS day,
    tupleElement(entry, 1) AS kind,
    tupleElement(entry, 2) AS scope,
    tupleElement(entry, 3) AS name,
    min(toDateTime(time)) AS first_seen,
    max(toDateTime(time)) AS last_seen,
    toUInt64(round(sum(sample_weight))) AS requests
FROM {{table:requests}}
ARRAY JOIN [
    ('service', '', {{client_name}}),
    ('service', '', {{server_name}}),
    ('namespace', '', client_namespace),
    ('namespace', '', server_namespace),
    ('operation', {{server_name}}, operation)
] AS entry
WHERE tupleElement(entry, 3) != ''
GROUP BY day, kind, scope, name
