-- Names for pickers (service, namespace, operation per service), one row per
-- name per day once merged: a picker lists a range's names from a few
-- thousand rows instead of scanning requests. Partitioned by day so retention
-- drops whole days and a range reads only its days.
CREATE TABLE IF NOT EXISTS {{table:picker_names}} {{on_cluster}}
(
    day        Date                                           CODEC(Delta(2), ZSTD(1)),
    kind       LowCardinality(String)                         CODEC(ZSTD(1)),
    scope      LowCardinality(String)                         CODEC(ZSTD(1)),
    name       String                                         CODEC(ZSTD(1)),
    first_seen SimpleAggregateFunction(min, DateTime('UTC'))  CODEC(Delta(4), ZSTD(1)),
    last_seen  SimpleAggregateFunction(max, DateTime('UTC'))  CODEC(Delta(4), ZSTD(1)),
    requests   SimpleAggregateFunction(sum, UInt64)           CODEC(T64, ZSTD(1))
)
ENGINE = {{engine:AggregatingMergeTree}}
PARTITION BY day
ORDER BY (kind, scope, name, day)
TTL day + toIntervalDay({{rollup_retention_days}});

CREATE MATERIALIZED VIEW IF NOT EXISTS {{table:picker_names_mv}} {{on_cluster}}
TO {{table:picker_names}} AS
SELECT
    toDate(time) AS day,
    tupleElement(entry, 1) AS kind,
    tupleElement(entry, 2) AS scope,
    tupleElement(entry, 3) AS name,
    min(toDateTime(time)) AS first_seen,
    max(toDateTime(time)) AS last_seen,
    count() AS requests
FROM {{table:requests}}
ARRAY JOIN [
    ('service', '', {{client_name}}),
    ('service', '', {{server_name}}),
    ('namespace', '', client_namespace),
    ('namespace', '', server_namespace),
    ('operation', {{server_name}}, operation)
] AS entry
WHERE tupleElement(entry, 3) != ''
GROUP BY day, kind, scope, name;

{{distributed:picker_names:cityHash64(kind, scope, name)}};

-- trace id -> the time range its spans cover, so fetching a trace reads only
-- the requests partitions and hours it lives in, not the whole retention.
CREATE TABLE IF NOT EXISTS {{table:trace_index}} {{on_cluster}}
(
    trace_id   String                                                   CODEC(ZSTD(1)),
    day        Date                                                     CODEC(Delta(2), ZSTD(1)),
    start_time SimpleAggregateFunction(min, DateTime64(9, 'UTC'))       CODEC(Delta(8), ZSTD(1)),
    end_time   SimpleAggregateFunction(max, DateTime64(9, 'UTC'))       CODEC(Delta(8), ZSTD(1)),
    spans      SimpleAggregateFunction(sum, UInt64)                     CODEC(T64, ZSTD(1))
)
ENGINE = {{engine:AggregatingMergeTree}}
PARTITION BY day
ORDER BY (trace_id, day)
TTL day + toIntervalDay({{retention_days}});

CREATE MATERIALIZED VIEW IF NOT EXISTS {{table:trace_index_mv}} {{on_cluster}}
TO {{table:trace_index}} AS
SELECT
    trace_id,
    toDate(time) AS day,
    min(time) AS start_time,
    max(time + toIntervalNanosecond(duration_ns)) AS end_time,
    count() AS spans
FROM {{table:requests}}
WHERE trace_id != ''
GROUP BY trace_id, day;

{{distributed:trace_index:cityHash64(trace_id)}}
