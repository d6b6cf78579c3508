// The frame every page shares (time range, namespace and service filters) and its
// URL form:
//   ?range=1h                                   relative (omitted for the default, 15m)
//   ?from=2026-12-08T02:00:00.000Z&to=…         absolute, ISO-8601 (epoch ms also read)
//   &namespace=shop&service=checkout            filters (omitted when unset)
// Invalid values read as the default, so a mangled link still opens a working page.
import { DEFAULT_RANGE, isRelativePreset, sameRange, type TimeRange } from "./timeRange";
import { writeParams } from "./viewParams";

export interface FrameState {
  range: TimeRange;
  /** Kubernetes namespace of either end (the collector's `namespace` filter). */
  namespace: string | undefined;
  /** Client or server name (the collector's `service` filter). */
  service: string | undefined;
}

export const DEFAULT_FRAME: FrameState = { range: DEFAULT_RANGE, namespace: undefined, service: undefined };

export const FRAME_KEYS = ["range", "from", "to", "namespace", "service"] as const;

// The collector's rule for namespace names (query/kubernetes-filter.ts: RFC 1123
// labels, at most 63): anything else would be refused with a 400 by every query.
const NAMESPACE = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const SERVICE_MAX = 512;
// Earliest instant accepted: guards against "from=5" read as 1970 by epoch-ms parsing.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;
const EARLIEST_MS = Date.UTC(2000, 0, 1);

/** Epoch ms from ISO-8601 or an epoch-ms integer; undefined otherwise. */
export function parseInstant(raw: string | null): number | undefined {
  if (raw === null || raw.trim() === "") return undefined;
  // Date.parse alone is lenient ("12/08" reads as 2001): only ISO-8601 goes through it.
  const ms = /^\d+$/.test(raw) ? Number(raw) : ISO_8601.test(raw) ? Date.parse(raw) : Number.NaN;
  return Number.isFinite(ms) && ms >= EARLIEST_MS ? ms : undefined;
}

export function parseRange(params: URLSearchParams): TimeRange {
  const from = parseInstant(params.get("from"));
  const to = parseInstant(params.get("to"));
  if (from !== undefined && to !== undefined && from < to) return { kind: "absolute", from, to };
  const preset = params.get("range");
  if (preset !== null && isRelativePreset(preset)) return { kind: "relative", preset };
  return DEFAULT_RANGE;
}

export function parseFrame(params: URLSearchParams): FrameState {
  const namespace = params.get("namespace") ?? "";
  const service = params.get("service") ?? "";
  return {
    range: parseRange(params),
    namespace: namespace.length <= 63 && NAMESPACE.test(namespace) ? namespace : undefined,
    service: service !== "" && service.length <= SERVICE_MAX ? service : undefined,
  };
}

/**
 * `params` with the frame written into it: defaults removed, other keys kept. Absolute
 * ranges always write both ends and drop `range`; relative ones drop `from`/`to`.
 */
export function writeFrame(params: URLSearchParams, frame: Partial<FrameState>): URLSearchParams {
  let out = new URLSearchParams(params);
  if (frame.range !== undefined) {
    const range = frame.range;
    out.delete("from");
    out.delete("to");
    out.delete("range");
    if (range.kind === "absolute") {
      out.set("from", new Date(range.from).toISOString());
      out.set("to", new Date(range.to).toISOString());
    } else if (!sameRange(range, DEFAULT_RANGE)) {
      out.set("range", range.preset);
    }
  }
  const filters: Partial<Pick<FrameState, "namespace" | "service">> = {};
  if ("namespace" in frame) filters.namespace = frame.namespace || undefined;
  if ("service" in frame) filters.service = frame.service || undefined;
  out = writeParams(out, FILTER_SCHEMA, filters, FILTER_DEFAULTS);
  return out;
}

const FILTER_SCHEMA = {
  namespace: { parse: (raw: string) => raw, serialize: (value: string) => value },
  service: { parse: (raw: string) => raw, serialize: (value: string) => value },
};
const FILTER_DEFAULTS = { namespace: "", service: "" };

/**
 * The query parameters a collector API call takes for this frame, resolved at `now`:
 * from/to as ISO instants, plus the filters that are set.
 */
export function frameApiParams(frame: FrameState, from: Date, to: Date): URLSearchParams {
  const out = new URLSearchParams({ from: from.toISOString(), to: to.toISOString() });
  if (frame.namespace !== undefined) out.set("namespace", frame.namespace);
  if (frame.service !== undefined) out.set("service", frame.service);
  return out;
}

/** Only the frame's own keys of `params`: what a nav link carries to the next page. */
export function frameOnly(params: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const key of FRAME_KEYS) {
    const value = params.get(key);
    if (value !== null) out.set(key, value);
  }
  return out;
}
