// A process's service identity as OpenTelemetry states it in the environment:
// OTEL_SERVICE_NAME, else service.name in OTEL_RESOURCE_ATTRIBUTES, and
// service.namespace from the latter. On a host without Kubernetes this is the
// one place a process can say which group it belongs to; the map shows it as
// a namespace ("shop/frontend"). In a cluster the collector's Kubernetes
// identity of the pod takes precedence over what the process says.
import { closeSync, openSync, readSync } from "node:fs";

export interface OtelIdentity {
  /** "" when the process states none. */
  serviceName: string;
  namespace: string;
}

const NONE: OtelIdentity = { serviceName: "", namespace: "" };
/** /proc/PID/environ is read up to this much: identity variables sit among the first few KiB. */
const MAX_ENVIRON_BYTES = 64 * 1024;
/** Longer values are not names a map can show. */
const MAX_VALUE_LENGTH = 200;

/** A control character cannot be part of a name a map shows. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 0x20) return true;
  return false;
}

function clean(value: string | undefined): string {
  const trimmed = (value ?? "").trim();
  return trimmed.length > MAX_VALUE_LENGTH || hasControlCharacter(trimmed) ? "" : trimmed;
}

/** service.name and service.namespace from OTEL_RESOURCE_ATTRIBUTES ("k=v,k=v", values percent-encoded). */
function resourceAttributes(raw: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const pair of raw.split(",")) {
    const separator = pair.indexOf("=");
    if (separator <= 0) continue;
    const key = pair.slice(0, separator).trim();
    try {
      attributes.set(key, decodeURIComponent(pair.slice(separator + 1)));
    } catch {
      // A malformed escape makes that one value unreadable, not the others.
    }
  }
  return attributes;
}

/** The identity stated in an environment block (NUL-separated NAME=value entries). */
export function otelIdentityOf(environ: string): OtelIdentity {
  let serviceName = "";
  let resource = "";
  for (const entry of environ.split("\0")) {
    if (entry.startsWith("OTEL_SERVICE_NAME=")) serviceName = entry.slice("OTEL_SERVICE_NAME=".length);
    else if (entry.startsWith("OTEL_RESOURCE_ATTRIBUTES="))
      resource = entry.slice("OTEL_RESOURCE_ATTRIBUTES=".length);
  }
  const attributes = resourceAttributes(resource);
  return {
    serviceName: clean(serviceName) || clean(attributes.get("service.name")),
    namespace: clean(attributes.get("service.namespace")),
  };
}

/** What process `pid` states, read from /proc/PID/environ (root reads any process's). */
export function readOtelIdentity(pid: number): OtelIdentity {
  let fd: number | undefined;
  try {
    fd = openSync(`/proc/${pid}/environ`, "r");
    const buffer = Buffer.alloc(MAX_ENVIRON_BYTES);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    return otelIdentityOf(buffer.toString("utf8", 0, length));
  } catch {
    return NONE;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
