-- Kubernetes identity of both ends of a request (issue #13): the pod and the
-- node, next to the namespace and workload 0003 added. The collector fills
-- them at ingest from its cluster watch (src/kubernetes/); the node of a
-- process on a host without Kubernetes is its agent's host. "" when unknown.
-- A pod name is per-restart, which is why the map keys on the workload and
-- only request search filters on pods.
ALTER TABLE {{table:requests}} {{on_cluster}}
    ADD COLUMN IF NOT EXISTS client_pod  LowCardinality(String) DEFAULT '' CODEC(ZSTD(1)) AFTER client_workload,
    ADD COLUMN IF NOT EXISTS client_node LowCardinality(String) DEFAULT '' CODEC(ZSTD(1)) AFTER client_pod,
    ADD COLUMN IF NOT EXISTS server_pod  LowCardinality(String) DEFAULT '' CODEC(ZSTD(1)) AFTER server_workload,
    ADD COLUMN IF NOT EXISTS server_node LowCardinality(String) DEFAULT '' CODEC(ZSTD(1)) AFTER server_pod;

{{cluster_only}} ALTER TABLE requests {{on_cluster}}
    ADD COLUMN IF NOT EXISTS client_pod  LowCardinality(String) DEFAULT '' AFTER client_workload,
    ADD COLUMN IF NOT EXISTS client_node LowCardinality(String) DEFAULT '' AFTER client_pod,
    ADD COLUMN IF NOT EXISTS server_pod  LowCardinality(String) DEFAULT '' AFTER server_workload,
    ADD COLUMN IF NOT EXISTS server_node LowCardinality(String) DEFAULT '' AFTER server_pod;

-- Search filters are "client OR server is X": one bloom filter per pair, as
-- 0026 does for names, lets a granule without X on either end be skipped.
-- Namespaces and workloads are few per granule (rows sort by serving service),
-- so a set index is exact and small.
ALTER TABLE {{table:requests}} {{on_cluster}}
    ADD INDEX IF NOT EXISTS idx_pods (client_pod, server_pod) TYPE bloom_filter(0.01) GRANULARITY 1,
    ADD INDEX IF NOT EXISTS idx_nodes (client_node, server_node) TYPE set(256) GRANULARITY 1,
    ADD INDEX IF NOT EXISTS idx_workloads (client_workload, server_workload) TYPE bloom_filter(0.01) GRANULARITY 1,
    ADD INDEX IF NOT EXISTS idx_namespaces (client_namespace, server_namespace) TYPE set(256) GRANULARITY 1
