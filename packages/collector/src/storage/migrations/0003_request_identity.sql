-- Identity beyond what agents resolve today. Kubernetes metadata (namespace,
-- workload) arrives with the Kubernetes work; until then the columns stay
-- empty, or are filled from the record attributes k8s.{client,server}.{namespace,workload}.
-- server_host is the DNS name the client asked for (HTTP Host / :authority):
-- how an unknown remote peer is named when no agent runs there.
ALTER TABLE {{table:requests}} {{on_cluster}}
    ADD COLUMN IF NOT EXISTS client_namespace LowCardinality(String) DEFAULT '' CODEC(ZSTD(1)) AFTER client_process,
    ADD COLUMN IF NOT EXISTS client_workload  LowCardinality(String) DEFAULT '' CODEC(ZSTD(1)) AFTER client_namespace,
    ADD COLUMN IF NOT EXISTS server_namespace LowCardinality(String) DEFAULT '' CODEC(ZSTD(1)) AFTER server_process,
    ADD COLUMN IF NOT EXISTS server_workload  LowCardinality(String) DEFAULT '' CODEC(ZSTD(1)) AFTER server_namespace,
    ADD COLUMN IF NOT EXISTS server_host      LowCardinality(String) DEFAULT '' CODEC(ZSTD(1)) AFTER server_workload;

{{cluster_only}} ALTER TABLE requests {{on_cluster}}
    ADD COLUMN IF NOT EXISTS client_namespace LowCardinality(String) DEFAULT '' AFTER client_process,
    ADD COLUMN IF NOT EXISTS client_workload  LowCardinality(String) DEFAULT '' AFTER client_namespace,
    ADD COLUMN IF NOT EXISTS server_namespace LowCardinality(String) DEFAULT '' AFTER server_process,
    ADD COLUMN IF NOT EXISTS server_workload  LowCardinality(String) DEFAULT '' AFTER server_namespace,
    ADD COLUMN IF NOT EXISTS server_host      LowCardinality(String) DEFAULT '' AFTER server_workload;

-- Request search filters on the client's name too, which the sort key (by
-- server) cannot prune: a bloom filter skips granules without that client.
-- Target text search is a substring match; 3-gram blooms let it skip granules
-- that cannot contain the text. GRANULARITY 4 keeps the index small enough that
-- reading it costs less than the granules it saves.
ALTER TABLE {{table:requests}} {{on_cluster}}
    ADD INDEX IF NOT EXISTS idx_client_service client_service TYPE bloom_filter(0.01) GRANULARITY 1,
    ADD INDEX IF NOT EXISTS idx_target_ngrams target TYPE ngrambf_v1(3, 4096, 2, 0) GRANULARITY 4;
