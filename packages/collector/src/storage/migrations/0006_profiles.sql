-- CPU profiles (filled by the profiling work): each distinct stack once, by
-- hash, and sample counts per (service, pid, time, stack). A flame graph
-- sums counts per stack over a range, then reads only those stacks.
--
-- Stacks are keyed by hash, not time, so they are not partitioned by day; a
-- stack seen again refreshes last_seen and the TTL follows the newest sighting.
CREATE TABLE IF NOT EXISTS {{table:profile_stacks}} {{on_cluster}}
(
    stack_hash UInt64                                      CODEC(ZSTD(1)),
    -- Leaf last: frames[1] is the root, as a flame graph draws them.
    frames     Array(String)                               CODEC(ZSTD(3)),
    last_seen  DateTime('UTC')                             CODEC(Delta(4), ZSTD(1))
)
ENGINE = {{engine:ReplacingMergeTree:last_seen}}
ORDER BY stack_hash
TTL last_seen + toIntervalDay({{profile_retention_days}});

{{distributed:profile_stacks:stack_hash}};

CREATE TABLE IF NOT EXISTS {{table:profile_samples}} {{on_cluster}}
(
    time       DateTime('UTC')                             CODEC(Delta(4), ZSTD(1)),
    agent_id   LowCardinality(String)                      CODEC(ZSTD(1)),
    namespace  LowCardinality(String)                      CODEC(ZSTD(1)),
    service    LowCardinality(String)                      CODEC(ZSTD(1)),
    pid        UInt32                                      CODEC(ZSTD(1)),
    process    LowCardinality(String)                      CODEC(ZSTD(1)),
    stack_hash UInt64                                      CODEC(ZSTD(1)),
    samples    UInt64                                      CODEC(T64, ZSTD(1))
)
-- Summing: repeated (key, stack) rows from successive agent flushes collapse.
ENGINE = {{engine:SummingMergeTree:samples}}
PARTITION BY toDate(time)
ORDER BY (service, pid, time, stack_hash, agent_id, namespace, process)
TTL time + toIntervalDay({{profile_retention_days}})
SETTINGS ttl_only_drop_parts = 1;

{{distributed:profile_samples:cityHash64(service)}}
