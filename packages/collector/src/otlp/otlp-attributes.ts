// OTLP attribute and resource helpers: a KeyValue list from a plain record of
// strings and numbers (empty strings left out), and the Resource of one
// observed service.
import { create } from "@bufbuild/protobuf";
import { type KeyValue, KeyValueSchema } from "./gen/opentelemetry/proto/common/v1/common_pb.js";
import { type Resource, ResourceSchema } from "./gen/opentelemetry/proto/resource/v1/resource_pb.js";

export type AttributeValues = Record<string, string | number | undefined>;

export function keyValues(values: AttributeValues): KeyValue[] {
  const out: KeyValue[] = [];
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === "") continue;
    out.push(
      create(KeyValueSchema, {
        key,
        value: {
          value:
            typeof value === "number"
              ? Number.isInteger(value)
                ? { case: "intValue", value: BigInt(value) }
                : { case: "doubleValue", value }
              : { case: "stringValue", value },
        },
      }),
    );
  }
  return out;
}

/** Who observed: a service, with its Kubernetes identity where the collector knows it. */
export interface ObservedService {
  service: string;
  namespace: string;
  pod: string;
  node: string;
}

export function resourceKey(service: ObservedService): string {
  return `${service.service}\u0000${service.namespace}\u0000${service.pod}\u0000${service.node}`;
}

export function resourceOf(service: ObservedService): Resource {
  return create(ResourceSchema, {
    attributes: keyValues({
      "service.name": service.service || "unknown_service",
      "service.namespace": service.namespace,
      "k8s.namespace.name": service.namespace,
      "k8s.pod.name": service.pod,
      "k8s.node.name": service.node,
    }),
  });
}

/** Our instrumentation scope: who produced the telemetry. */
export const SCOPE = { name: "periscope", version: "0.1.0" };
