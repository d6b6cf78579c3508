-- Collection config pushed to agents over the control stream: one row per
-- scope ('*' is the fleet default, any other value an agent id that
-- overrides it). The newest version per scope wins (ReplacingMergeTree), so
-- a change is an insert. Versions are unique across scopes, which lets an
-- agent's acknowledgement name exactly the config it applied. No TTL: a
-- config stays in force until replaced.
CREATE TABLE IF NOT EXISTS {{table:agent_configs}} {{on_cluster}}
(
    scope       String                  CODEC(ZSTD(1)),
    version     UInt64                  CODEC(ZSTD(1)),
    config      String                  CODEC(ZSTD(3)),
    updated_at  DateTime64(3, 'UTC')    CODEC(ZSTD(1)),
    updated_by  String                  CODEC(ZSTD(1))
)
ENGINE = {{engine:ReplacingMergeTree:version}}
ORDER BY scope;

{{distributed:agent_configs:cityHash64(scope)}}
