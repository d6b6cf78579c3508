// The baseline a diff compares the page's range against: the span just before
// it, the same span a day or a week earlier (daily and weekly cycles cancel
// out), or two instants the user picked.
import type { DiffBaseline } from "./flameParams";

export interface Instants {
  fromMs: number;
  toMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export type BaselineResult = { ok: true; range: Instants } | { ok: false; error: string };

export function baselineRange(
  kind: Exclude<DiffBaseline, "off">,
  current: Instants,
  custom: { from: string; to: string },
): BaselineResult {
  const span = current.toMs - current.fromMs;
  switch (kind) {
    case "previous":
      return { ok: true, range: { fromMs: current.fromMs - span, toMs: current.fromMs } };
    case "day":
      return { ok: true, range: { fromMs: current.fromMs - DAY_MS, toMs: current.toMs - DAY_MS } };
    case "week":
      return { ok: true, range: { fromMs: current.fromMs - 7 * DAY_MS, toMs: current.toMs - 7 * DAY_MS } };
    case "custom": {
      const fromMs = Date.parse(custom.from);
      const toMs = Date.parse(custom.to);
      if (!Number.isFinite(fromMs) || !Number.isFinite(toMs)) {
        return { ok: false, error: "pick both ends of the baseline range" };
      }
      if (fromMs >= toMs) return { ok: false, error: "the baseline must start before it ends" };
      return { ok: true, range: { fromMs, toMs } };
    }
  }
}

export interface FlameScope {
  service?: string;
  pid?: number;
  namespace?: string;
  /** The agent that took the samples (its id; the API's `node`). */
  node?: string;
  /** The collector's synthetic root frames, outermost first. */
  splitBy?: readonly ("node" | "namespace" | "pod" | "service" | "process")[];
}

/** The flame graph API's query for a scope over instants. */
export function flameGraphUrl(scope: FlameScope, range: Instants): string {
  const params = new URLSearchParams({
    from: new Date(range.fromMs).toISOString(),
    to: new Date(range.toMs).toISOString(),
  });
  if (scope.service) params.set("service", scope.service);
  if (scope.pid) params.set("pid", String(scope.pid));
  if (scope.namespace) params.set("namespace", scope.namespace);
  if (scope.node) params.set("node", scope.node);
  if (scope.splitBy && scope.splitBy.length > 0) params.set("splitBy", scope.splitBy.join(","));
  return `/api/v1/flamegraph?${params}`;
}
