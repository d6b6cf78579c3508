-- API tokens for the HTTP API (viewer/editor/admin). Only a SHA-256 of each
-- token is kept: tokens are 256 random bits, so a plain hash cannot be
-- reversed and a leaked table grants nothing. A revocation is a newer row for
-- the same id (ReplacingMergeTree by updated_at). A handful of rows: no
-- partitions, no TTL (a token lives until it is revoked).
CREATE TABLE IF NOT EXISTS {{table:api_tokens}} {{on_cluster}}
(
    id          String                  CODEC(ZSTD(1)),
    name        String                  CODEC(ZSTD(1)),
    role        LowCardinality(String)  CODEC(ZSTD(1)),
    token_hash  String                  CODEC(ZSTD(1)),
    created_at  DateTime64(3, 'UTC')    CODEC(ZSTD(1)),
    updated_at  DateTime64(3, 'UTC')    CODEC(ZSTD(1)),
    revoked     Bool                    CODEC(ZSTD(1))
)
ENGINE = {{engine:ReplacingMergeTree:updated_at}}
ORDER BY id;

{{distributed:api_tokens:cityHash64(id)}}
