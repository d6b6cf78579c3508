-- Every agent that has reported, with its latest self-description. One row per
-- report; ReplacingMergeTree keeps the newest (by last_seen) per agent, and
-- readers take argMax/FINAL for the current state. A few hundred rows: no
-- partitions. Agents gone longer than the retention disappear.
CREATE TABLE IF NOT EXISTS {{table:agents}} {{on_cluster}}
(
    agent_id       String                                  CODEC(ZSTD(1)),
    hostname       LowCardinality(String)                  CODEC(ZSTD(1)),
    version        LowCardinality(String)                  CODEC(ZSTD(1)),
    kernel         LowCardinality(String)                  CODEC(ZSTD(1)),
    first_seen     DateTime64(3, 'UTC')                    CODEC(ZSTD(1)),
    last_seen      DateTime64(3, 'UTC')                    CODEC(ZSTD(1)),
    -- DropCounters by field name, cumulative since the agent started.
    drops          Map(LowCardinality(String), UInt64)     CODEC(ZSTD(1)),
    config_version UInt64                                  CODEC(ZSTD(1))
)
ENGINE = {{engine:ReplacingMergeTree:last_seen}}
ORDER BY agent_id
TTL toDateTime(last_seen) + toIntervalDay({{agent_retention_days}});

{{distributed:agents:cityHash64(agent_id)}}
