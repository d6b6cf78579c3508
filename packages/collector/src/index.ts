export { type AppDependencies, collectorApp } from "./app.js";
export { type RunningCollector, type StartCollectorOptions, startCollector } from "./collector.js";
export { type CollectorConfig, ConfigError, describeEnvironment, loadConfig } from "./config.js";
export type { EndpointView, RequestView } from "./query/requests-query.js";
export type { ServiceMap, ServiceMapEdge, ServiceMapNode } from "./query/service-map-query.js";
export type { ServiceSummary } from "./query/services-query.js";
// Storage access for tools that load data before a collector starts (bench/).
export { applyMigrations, loadMigrations } from "./storage/migrations.js";
export { openStorage, type Storage } from "./storage/storage.js";
