// Queries the engine stopped at a limit, and queries abandoned because their
// HTTP client went away: /metrics and /api/v1/stats show them, so a limit
// that is too tight, or a UI that gives up on slow views, is visible.
import type { QueryLimitKind } from "./query-limits.js";

export class QueryOutcomes {
  /** Stopped at max_rows_to_read / max_memory_usage (422 to the client). */
  tooLarge = 0;
  /** Stopped at max_execution_time (503). */
  timedOut = 0;
  /** The engine as a whole out of memory (503). */
  busy = 0;
  /** Aborted because the client disconnected. */
  cancelled = 0;

  count(kind: QueryLimitKind): void {
    if (kind === "too_large") this.tooLarge += 1;
    else if (kind === "timeout") this.timedOut += 1;
    else this.busy += 1;
  }

  snapshot(): { tooLarge: number; timedOut: number; busy: number; cancelled: number } {
    return { tooLarge: this.tooLarge, timedOut: this.timedOut, busy: this.busy, cancelled: this.cancelled };
  }
}
