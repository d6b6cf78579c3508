// Node positions saved between page loads, so a reload draws the map where the user
// left it (UI.md: positions computed once and cached per service). Stored as one JSON
// object in localStorage; bad or foreign contents read as empty, never throw.
import type { Point } from "./placeNewNodes";

export const POSITION_CACHE_KEY = "periscope.map.positions.v1";
/** Enough for the largest map the UI is benchmarked with, and well under localStorage quotas. */
export const MAX_CACHED_POSITIONS = 5000;

export function parsePositions(raw: string | null): Map<string, Point> {
  const positions = new Map<string, Point>();
  if (!raw) return positions;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return positions;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return positions;
  for (const [id, value] of Object.entries(parsed)) {
    if (!Array.isArray(value) || value.length !== 2) continue;
    const [x, y] = value;
    if (typeof x === "number" && typeof y === "number" && Number.isFinite(x) && Number.isFinite(y)) {
      positions.set(id, { x, y });
    }
  }
  return positions;
}

/**
 * Merges the current positions over the saved ones (services off the map now keep
 * theirs for when they return), keeping the most recent MAX_CACHED_POSITIONS.
 */
export function serializePositions(
  saved: ReadonlyMap<string, Point>,
  current: ReadonlyMap<string, Point>,
): string {
  const merged = new Map(saved);
  for (const id of current.keys()) merged.delete(id);
  for (const [id, point] of current) merged.set(id, point);
  const entries = [...merged].slice(-MAX_CACHED_POSITIONS);
  return JSON.stringify(
    Object.fromEntries(entries.map(([id, p]) => [id, [Math.round(p.x), Math.round(p.y)]])),
  );
}
