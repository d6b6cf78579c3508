-- Incident links (issue #11 item 7): the notes a sharer writes beside the
-- title, and a frozen copy of the service map of the link's range (JSON, ''
-- when not frozen), so a month later the link still shows the incident's
-- map after the minute roll-ups have aged out, as frozen_rows does for its
-- requests.
ALTER TABLE {{table:shared_links}} {{on_cluster}}
    ADD COLUMN IF NOT EXISTS notes      String DEFAULT '' CODEC(ZSTD(3)) AFTER title,
    ADD COLUMN IF NOT EXISTS frozen_map String DEFAULT '' CODEC(ZSTD(3)) AFTER frozen_rows;

{{cluster_only}} ALTER TABLE shared_links {{on_cluster}}
    ADD COLUMN IF NOT EXISTS notes      String DEFAULT '' AFTER title,
    ADD COLUMN IF NOT EXISTS frozen_map String DEFAULT '' AFTER frozen_rows;
