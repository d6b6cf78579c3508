-- What request search filters on, stored as columns the engine can skip by
-- (issue #15, item 5). Until now a service filter evaluated the naming
-- multiIf over six string columns for every row in range, which no index can
-- serve. The names are MATERIALIZED: the engine computes them at insert from
-- the row (so whatever ingest wrote — Kubernetes identity, the agent's peer
-- name — is what they hold), nothing in the insert path changes, and `SELECT *`
-- leaves them out. Parts written before this migration compute them on read.
ALTER TABLE {{table:requests}} {{on_cluster}}
    ADD COLUMN IF NOT EXISTS client_name LowCardinality(String) MATERIALIZED {{client_name_v2}} CODEC(ZSTD(1)),
    ADD COLUMN IF NOT EXISTS server_name LowCardinality(String) MATERIALIZED {{server_name_v2}} CODEC(ZSTD(1)),
    -- The one-observation rule matches a server-side row to its client-side
    -- twin by connection (two addresses, two ports). One UInt64 per row to
    -- compare instead of two strings and two ports; a 64-bit collision hides
    -- a row with odds far below anything else that can go wrong here.
    ADD COLUMN IF NOT EXISTS connection_hash UInt64 MATERIALIZED cityHash64(client_ip, client_port, server_ip, server_port) CODEC(ZSTD(1));

{{cluster_only}} ALTER TABLE requests {{on_cluster}}
    ADD COLUMN IF NOT EXISTS client_name LowCardinality(String) MATERIALIZED {{client_name_v2}},
    ADD COLUMN IF NOT EXISTS server_name LowCardinality(String) MATERIALIZED {{server_name_v2}},
    ADD COLUMN IF NOT EXISTS connection_hash UInt64 MATERIALIZED cityHash64(client_ip, client_port, server_ip, server_port);

-- One bloom filter over both names: a service filter is "client OR server is
-- X", and an index over one column cannot skip a granule for an OR whose other
-- half it cannot see. Rows are sorted by serving service within the hour, so
-- a service's server-side rows sit in few granules; its client-side rows sit
-- among its callees' and are skipped where none of them called.
-- Durations: minmax lets a minimum-duration filter skip granules of fast calls.
-- No index on status: errors are spread over every granule (a set index kept
-- 2,744 of 4,073 granules at 42M rows in an hour) and reading it cost more
-- than it saved (search 240 ms with it, 120 ms without; bench/lib/search-hour.ts).
-- connection_hash: the one-observation rule looks a page's connections up by it.
ALTER TABLE {{table:requests}} {{on_cluster}}
    ADD INDEX IF NOT EXISTS idx_names (client_name, server_name) TYPE bloom_filter(0.01) GRANULARITY 1,
    ADD INDEX IF NOT EXISTS idx_duration duration_ns TYPE minmax GRANULARITY 1,
    ADD INDEX IF NOT EXISTS idx_connection connection_hash TYPE bloom_filter(0.01) GRANULARITY 1
