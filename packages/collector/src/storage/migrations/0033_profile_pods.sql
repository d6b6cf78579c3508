-- Each profile sample's container and pod (issue #12, item 3: flame graphs per
-- container/pod, and a [pod] root frame to split one graph by). The agent sends
-- the sampled process's container id (/proc/PID/cgroup, "" outside containers);
-- the collector names its pod from the cluster's metadata ("" in host mode).
-- Not in the summing key: a pid runs in one container, so rows that collapse
-- (same service, pid, time, stack, agent, namespace, process) share both.
ALTER TABLE {{table:profile_samples}} {{on_cluster}}
    ADD COLUMN IF NOT EXISTS container_id LowCardinality(String) DEFAULT '' CODEC(ZSTD(1)) AFTER process,
    ADD COLUMN IF NOT EXISTS pod LowCardinality(String) DEFAULT '' CODEC(ZSTD(1)) AFTER container_id;

{{cluster_only}} ALTER TABLE profile_samples {{on_cluster}}
    ADD COLUMN IF NOT EXISTS container_id LowCardinality(String) DEFAULT '' AFTER process,
    ADD COLUMN IF NOT EXISTS pod LowCardinality(String) DEFAULT '' AFTER container_id
