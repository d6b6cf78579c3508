// Bounds on a link's view state: the UI's own JSON, stored verbatim, so it is
// checked for size and nesting rather than shape (the shape is the UI's to evolve).
import { ApiError, badRequest } from "../../../../http/api-error.js";

export const MAX_VIEW_STATE_BYTES = 64 * 1024;
const MAX_VIEW_STATE_DEPTH = 32;

function depthOf(value: unknown, depth = 0): number {
  if (value === null || typeof value !== "object") return depth;
  let deepest = depth + 1;
  for (const child of Object.values(value)) {
    deepest = Math.max(deepest, depthOf(child, depth + 1));
    if (deepest > MAX_VIEW_STATE_DEPTH) break;
  }
  return deepest;
}

export function checkViewState(view: unknown): void {
  const bytes = Buffer.byteLength(JSON.stringify(view), "utf8");
  if (bytes > MAX_VIEW_STATE_BYTES) {
    throw new ApiError(413, "payload_too_large", `view is ${bytes} bytes; at most ${MAX_VIEW_STATE_BYTES}`);
  }
  if (depthOf(view) > MAX_VIEW_STATE_DEPTH) {
    throw badRequest(`view nests deeper than ${MAX_VIEW_STATE_DEPTH} levels`);
  }
}
