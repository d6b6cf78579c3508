-- Links that freeze an incident's view. Absolute times and the UI's whole view
-- state are stored; frozen_rows optionally holds the rows involved (JSON lines)
-- so the link still shows them after `requests` retention removed them.
-- Few rows, looked up by id: no partitions; ZSTD(3) for the JSON blobs.
CREATE TABLE IF NOT EXISTS {{table:shared_links}} {{on_cluster}}
(
    id          String                                     CODEC(ZSTD(1)),
    created_at  DateTime64(3, 'UTC')                       CODEC(Delta(8), ZSTD(1)),
    created_by  LowCardinality(String)                     CODEC(ZSTD(1)),
    title       String                                     CODEC(ZSTD(1)),
    range_from  DateTime64(3, 'UTC')                       CODEC(ZSTD(1)),
    range_to    DateTime64(3, 'UTC')                       CODEC(ZSTD(1)),
    view_state  String                                     CODEC(ZSTD(3)),
    frozen_rows String                                     CODEC(ZSTD(3))
)
ENGINE = {{engine:ReplacingMergeTree:created_at}}
ORDER BY id
TTL toDateTime(created_at) + toIntervalDay({{link_retention_days}});

{{distributed:shared_links:cityHash64(id)}}
