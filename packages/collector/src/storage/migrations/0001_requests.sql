-- One row per observed request/response exchange (proto RequestRecord).
-- Both ends of a call may be observed, each as its own row with its side; the
-- service-map query decides which side counts.
--
-- Every query the API runs is bounded by a time range, so the key starts with
-- an hour bucket (tight range pruning), then groups an hour's rows by protocol
-- and serving service so protocol/service filters skip granules.
CREATE TABLE IF NOT EXISTS {{table:requests}} {{on_cluster}}
(
    time            DateTime64(9, 'UTC')        CODEC(Delta(8), ZSTD(1)),
    agent_id        LowCardinality(String)      CODEC(ZSTD(1)),
    protocol        LowCardinality(String)      CODEC(ZSTD(1)),
    side            LowCardinality(String)      CODEC(ZSTD(1)),
    client_ip       String                      CODEC(ZSTD(1)),
    client_port     UInt16                      CODEC(ZSTD(1)),
    client_service  LowCardinality(String)      CODEC(ZSTD(1)),
    client_pid      UInt32                      CODEC(ZSTD(1)),
    client_process  LowCardinality(String)      CODEC(ZSTD(1)),
    server_ip       String                      CODEC(ZSTD(1)),
    server_port     UInt16                      CODEC(ZSTD(1)),
    server_service  LowCardinality(String)      CODEC(ZSTD(1)),
    server_pid      UInt32                      CODEC(ZSTD(1)),
    server_process  LowCardinality(String)      CODEC(ZSTD(1)),
    operation       LowCardinality(String)      CODEC(ZSTD(1)),
    target          String                      CODEC(ZSTD(1)),
    status          Int32                       CODEC(ZSTD(1)),
    error           Bool                        CODEC(ZSTD(1)),
    duration_ns     UInt64                      CODEC(T64, ZSTD(1)),
    request_bytes   UInt64                      CODEC(T64, ZSTD(1)),
    response_bytes  UInt64                      CODEC(T64, ZSTD(1)),
    attributes      Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    trace_id        String                      CODEC(ZSTD(1)),
    span_id         String                      CODEC(ZSTD(1)),
    parent_span_id  String                      CODEC(ZSTD(1)),
    truncated       Bool                        CODEC(ZSTD(1)),
    -- Trace lookups are needle-in-haystack: a bloom filter lets them skip
    -- granules that cannot hold the id (the OpenTelemetry exporter's choice).
    INDEX idx_trace_id trace_id TYPE bloom_filter(0.001) GRANULARITY 1
)
ENGINE = {{engine:MergeTree}}
PARTITION BY toDate(time)
ORDER BY (toStartOfHour(time), protocol, server_service, time)
TTL toDateTime(time) + toIntervalDay({{retention_days}})
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1;

-- Cluster mode: readers and the ingest path use `requests`; rows spread evenly.
{{distributed:requests:rand()}}
