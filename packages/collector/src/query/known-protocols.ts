// Protocol names the API accepts as a filter: the names agents put in
// RequestRecord.protocol. Shared with the UI through the API contract.
export const KNOWN_PROTOCOLS = [
  "http",
  "http2",
  "grpc",
  "postgres",
  "mysql",
  "redis",
  "dns",
  "kafka",
  "amqp",
  "nats",
  "mongo",
  "mqtt",
] as const;

export type KnownProtocol = (typeof KNOWN_PROTOCOLS)[number];
