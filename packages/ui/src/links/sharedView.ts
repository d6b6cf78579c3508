// What a Share captures: the page and its URL state with the time range made
// absolute, so the link shows the same minutes a month later; and what it
// freezes: the requests and the map under the frame's filters.
import { parseFrame, writeFrame } from "../frame/frameUrl";
import { toAbsolute } from "../frame/timeRange";

export interface SharedView {
  /** The page, e.g. "/requests". */
  path: string;
  /** Its URL parameters with `from`/`to` absolute (no `range` preset). */
  search: string;
}

export interface ShareCapture {
  view: SharedView;
  from: string;
  to: string;
  /** The request filter a frozen copy is taken with. */
  freeze: { service?: string; namespace?: string };
}

export function captureView(path: string, params: URLSearchParams, now: number): ShareCapture {
  const frame = parseFrame(params);
  const absolute = toAbsolute(frame.range, now);
  const search = writeFrame(params, { range: absolute }).toString();
  const freeze: ShareCapture["freeze"] = {};
  if (frame.service !== undefined) freeze.service = frame.service;
  if (frame.namespace !== undefined) freeze.namespace = frame.namespace;
  return {
    view: { path, search },
    from: new Date(absolute.from).toISOString(),
    to: new Date(absolute.to).toISOString(),
    freeze,
  };
}

/**
 * The href that restores a link's view. Only a path on this origin: the view
 * comes from storage, and a link must not send its reader elsewhere.
 */
export function viewHref(view: unknown): string | undefined {
  if (typeof view !== "object" || view === null) return undefined;
  const { path, search } = view as { path?: unknown; search?: unknown };
  if (typeof path !== "string" || !path.startsWith("/") || path.startsWith("//")) return undefined;
  const query = typeof search === "string" && search !== "" ? `?${search.replace(/^\?/, "")}` : "";
  return `${path}${query}`;
}
