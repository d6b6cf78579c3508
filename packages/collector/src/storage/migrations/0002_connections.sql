-- TCP health: one row per connection and agent reporting interval (proto
-- ConnectionStats). Counters are deltas over the interval; srtt_us and state
-- are the latest values. A connection is (agent_id, connection_id) across rows.
--
-- Queries are bounded by time, then usually narrowed to one process or remote
-- address, hence the key.
CREATE TABLE IF NOT EXISTS {{table:connections}} {{on_cluster}}
(
    time                  DateTime64(9, 'UTC')     CODEC(Delta(8), ZSTD(1)),
    agent_id              LowCardinality(String)   CODEC(ZSTD(1)),
    connection_id         UInt64                   CODEC(ZSTD(1)),
    interval_ns           UInt64                   CODEC(T64, ZSTD(1)),
    role                  LowCardinality(String)   CODEC(ZSTD(1)),
    pid                   UInt32                   CODEC(ZSTD(1)),
    process               LowCardinality(String)   CODEC(ZSTD(1)),
    local_ip              String                   CODEC(ZSTD(1)),
    local_port            UInt16                   CODEC(ZSTD(1)),
    remote_ip             String                   CODEC(ZSTD(1)),
    remote_port           UInt16                   CODEC(ZSTD(1)),
    bytes_sent            UInt64                   CODEC(T64, ZSTD(1)),
    bytes_received        UInt64                   CODEC(T64, ZSTD(1)),
    retransmits           UInt32                   CODEC(T64, ZSTD(1)),
    resets_sent           UInt32                   CODEC(T64, ZSTD(1)),
    resets_received       UInt32                   CODEC(T64, ZSTD(1)),
    state_changes         UInt32                   CODEC(T64, ZSTD(1)),
    connect_failed        Bool                     CODEC(ZSTD(1)),
    connect_duration_ns   UInt64                   CODEC(T64, ZSTD(1)),
    srtt_us               UInt32                   CODEC(T64, ZSTD(1)),
    state                 LowCardinality(String)   CODEC(ZSTD(1)),
    opened                Bool                     CODEC(ZSTD(1)),
    closed                Bool                     CODEC(ZSTD(1))
)
ENGINE = {{engine:MergeTree}}
PARTITION BY toDate(time)
ORDER BY (toStartOfHour(time), process, remote_ip, time)
TTL toDateTime(time) + toIntervalDay({{retention_days}})
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1;

-- Cluster mode: a connection's intervals stay on one shard.
{{distributed:connections:cityHash64(agent_id, connection_id)}}
