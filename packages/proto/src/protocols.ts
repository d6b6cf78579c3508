// The protocols Periscope parses, by the one name every layer uses: records'
// `protocol`, metric series, the API's filter, and the control config's
// disabled list. gRPC is told apart from HTTP/2 only after parsing, so the
// kernel switches them together (CAPTURE_PROTOCOLS has no "grpc").
export const PROTOCOL_NAMES = [
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

export type ProtocolName = (typeof PROTOCOL_NAMES)[number];

/** Protocols the kernel's inference can switch off one by one. */
export const CAPTURE_PROTOCOLS = PROTOCOL_NAMES.filter(
  (name): name is Exclude<ProtocolName, "grpc"> => name !== "grpc",
);

export type CaptureProtocolName = (typeof CAPTURE_PROTOCOLS)[number];

const NAMES: ReadonlySet<string> = new Set(PROTOCOL_NAMES);

export function isProtocolName(value: string): value is ProtocolName {
  return NAMES.has(value);
}
