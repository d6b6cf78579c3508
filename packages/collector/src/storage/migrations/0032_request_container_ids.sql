-- The container of each end (issue #11, item 3: the request detail names the
-- process, container, pod and node of both ends). The agent reads it from
-- /proc/PID/cgroup and sends it as Endpoint.container_id (64 hex for docker,
-- containerd, cri-o and podman); "" for an end outside a container or not on
-- the agent's host. Few distinct ids per part (one per running container), so
-- LowCardinality keeps it to a dictionary index per row. No skip index: nothing
-- filters on it yet, the drawer only shows it.
ALTER TABLE {{table:requests}} {{on_cluster}}
    ADD COLUMN IF NOT EXISTS client_container_id LowCardinality(String) DEFAULT '' CODEC(ZSTD(1)) AFTER client_process,
    ADD COLUMN IF NOT EXISTS server_container_id LowCardinality(String) DEFAULT '' CODEC(ZSTD(1)) AFTER server_process;

{{cluster_only}} ALTER TABLE requests {{on_cluster}}
    ADD COLUMN IF NOT EXISTS client_container_id LowCardinality(String) DEFAULT '' AFTER client_process,
    ADD COLUMN IF NOT EXISTS server_container_id LowCardinality(String) DEFAULT '' AFTER server_process
