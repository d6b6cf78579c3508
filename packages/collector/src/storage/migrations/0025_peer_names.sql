-- Peer names (issue #15): an end the agent could not tie to a process is
-- named by the agent (a DNS name it captured, the address's group, or the
-- address of an internal peer; agent metadata/peer-names.ts), sent as
-- MetricSeries.client_host / server_host and as the record attributes
-- client.host / server.host. server_host existed (HTTP Host); client_host is
-- new. The naming SQL (query/service-naming.ts) reads both, and groups
-- addresses no agent named, so the views that name ends are re-created with
-- it: rows stored from now on are named by the new rules, older roll-up rows
-- keep the names they were stored with.
ALTER TABLE {{table:requests}} {{on_cluster}}
    ADD COLUMN IF NOT EXISTS client_host LowCardinality(String) DEFAULT '' CODEC(ZSTD(1)) AFTER client_workload;

{{cluster_only}} ALTER TABLE requests {{on_cluster}}
    ADD COLUMN IF NOT EXISTS client_host LowCardinality(String) DEFAULT '' AFTER client_workload;

ALTER TABLE {{table:metric_series}} {{on_cluster}}
    ADD COLUMN IF NOT EXISTS client_host String DEFAULT '' AFTER client_workload;

{{cluster_only}} ALTER TABLE metric_series {{on_cluster}}
    ADD COLUMN IF NOT EXISTS client_host String DEFAULT '' AFTER client_workload;

-- A view cannot be altered in place on every supported engine version: drop
-- and create. Ingest starts after migrations, so no insert passes between.
DROP VIEW IF EXISTS {{table:metric_edges_1m_mv}} {{on_cluster}};
DROP VIEW IF EXISTS {{table:metric_services_1m_mv}} {{on_cluster}};
DROP VIEW IF EXISTS {{table:metric_endpoints_1m_mv}} {{on_cluster}};
DROP VIEW IF EXISTS {{table:picker_names_mv}} {{on_cluster}};

CREATE MATERIALIZED VIEW IF NOT EXISTS {{table:metric_edges_1m_mv}} {{on_cluster}}
TO {{table:metric_edges_1m}} AS
SELECT
    toStartOfMinute(start_time) AS minute,
    side,
    protocol,
    {{client_name_v2}} AS client_name,
    {{server_name_v2}} AS server_name,
    client_namespace,
    server_namespace,
    max({{client_named}}) AS client_named,
    max({{server_named}}) AS server_named,
    sum(request_count) AS requests,
    sum(error_count) AS errors,
    sum(request_bytes) AS request_bytes,
    sum(response_bytes) AS response_bytes,
    sum(duration_sum_ns) AS duration_sum_ns,
    sum(latency_zero_count) AS latency_zero_count,
    sumMap(latency_buckets, latency_counts) AS latency,
    sumMap([status_class], [request_count]) AS status_classes
FROM {{table:metric_series}}
WHERE kind = 'edge'
GROUP BY minute, side, protocol, client_name, server_name, client_namespace, server_namespace;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{table:metric_services_1m_mv}} {{on_cluster}}
TO {{table:metric_services_1m}} AS
SELECT
    toStartOfMinute(start_time) AS minute,
    side,
    protocol,
    {{server_name_v2}} AS service,
    server_namespace AS namespace,
    sum(request_count) AS requests,
    sum(error_count) AS errors,
    sum(request_bytes) AS request_bytes,
    sum(response_bytes) AS response_bytes,
    sum(duration_sum_ns) AS duration_sum_ns,
    sum(latency_zero_count) AS latency_zero_count,
    sumMap(latency_buckets, latency_counts) AS latency,
    sumMap([status_class], [request_count]) AS status_classes
FROM {{table:metric_series}}
WHERE kind = 'edge'
GROUP BY minute, side, protocol, service, namespace;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{table:metric_endpoints_1m_mv}} {{on_cluster}}
TO {{table:metric_endpoints_1m}} AS
SELECT
    toStartOfMinute(start_time) AS minute,
    side,
    {{server_name_v2}} AS service,
    protocol,
    operation,
    target,
    sum(request_count) AS requests,
    sum(error_count) AS errors,
    sum(request_bytes) AS request_bytes,
    sum(response_bytes) AS response_bytes,
    sum(duration_sum_ns) AS duration_sum_ns,
    sum(latency_zero_count) AS latency_zero_count,
    sumMap(latency_buckets, latency_counts) AS latency,
    sumMap([status_class], [request_count]) AS status_classes
FROM {{table:metric_series}}
WHERE kind = 'endpoint'
GROUP BY minute, side, service, protocol, operation, target;
