-- What lets a restarted collector recognise a batch it stored but never
-- acknowledged (killed between the INSERT and the answer; the agent sends the
-- same batch_seq again). Issue #14: without it ~200 request ids per crash were
-- stored twice. How the two are read at start: ingest/batch-sequence-store.ts.
--
-- batch_seq on each request row: an INSERT's rows land in one part per
-- partition, committed whole, so a batch's records are either all there with
-- its number or not there at all — the check is as atomic as the insert.
ALTER TABLE {{table:requests}} {{on_cluster}}
    ADD COLUMN IF NOT EXISTS batch_seq UInt64 DEFAULT 0 CODEC(T64, ZSTD(1)) AFTER sample_weight;

{{cluster_only}} ALTER TABLE requests {{on_cluster}}
    ADD COLUMN IF NOT EXISTS batch_seq UInt64 DEFAULT 0 AFTER sample_weight;

-- One row per stored batch, written after the batch's other tables
-- (connections, metric series): a batch listed here was stored whole. A few
-- rows per agent per second; a day is far more than any retry needs.
CREATE TABLE IF NOT EXISTS {{table:ingested_batches}} {{on_cluster}}
(
    agent_id    String                  CODEC(ZSTD(1)),
    batch_seq   UInt64                  CODEC(T64, ZSTD(1)),
    ingested_at DateTime64(3, 'UTC')    CODEC(Delta(8), ZSTD(1))
)
ENGINE = {{engine:MergeTree}}
PARTITION BY toDate(ingested_at)
ORDER BY (agent_id, batch_seq)
TTL toDateTime(ingested_at) + INTERVAL 1 DAY;

{{distributed:ingested_batches:cityHash64(agent_id)}}
