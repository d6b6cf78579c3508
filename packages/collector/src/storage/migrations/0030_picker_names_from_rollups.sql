-- The pickers' names (GET /api/v1/names) come from the metric roll-ups
-- (query/picker-names-query.ts): the edges give services and namespaces, the
-- endpoints give operations, exact to the minute and counted from every
-- request rather than from the kept records. The view that kept
-- `picker_names` wrote a part per insert into `requests` (and merged it back
-- all day) for names the roll-ups already hold (issue #16; src/storage/README.md,
-- Steady-state cost: at 1,000 records/s, dropping it and the trace index view
-- took the engine's insert threads from 0.064 to 0.041 cores; the trace index
-- stays, its view writes no part for a block without trace ids).
DROP VIEW IF EXISTS {{table:picker_names_mv}} {{on_cluster}};
{{cluster_only}} DROP TABLE IF EXISTS picker_names {{on_cluster}};
DROP TABLE IF EXISTS {{table:picker_names}} {{on_cluster}};
