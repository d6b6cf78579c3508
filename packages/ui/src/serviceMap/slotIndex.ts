// Spatial hashes over grid units (positions divided by the spacing), so that placing a
// node asks only about the few nodes and edges near a candidate slot instead of every
// one on the map: at 1,000 services the all-pairs checks cost seconds per update
// (make bench-ui, 2026-12-08). Cells are one grid unit wide; every clearance checked
// is below one unit, so a point within a clearance of another lies in the same or an
// adjacent cell, and each query looks at the 3 × 3 cells around what it tests.
import type { Point } from "./placeNewNodes";

/** Samples along a segment lie at most this far apart (grid units). */
const SAMPLE_STEP = 0.5;
const OFFSET = 2 ** 24;

function cellOf(value: number): number {
  const cell = Math.floor(value);
  // Absurd coordinates share the outermost cell: still a superset of the true answer.
  return Math.min(OFFSET - 1, Math.max(-OFFSET, Number.isFinite(cell) ? cell : 0));
}

function cellKey(cx: number, cy: number): number {
  return (cx + OFFSET) * 2 ** 25 + (cy + OFFSET);
}

/** Cells a segment passes through, found by sampling it every half unit or less. */
function segmentCells(a: Point, b: Point, visit: (cx: number, cy: number) => void): void {
  const steps = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) / SAMPLE_STEP));
  let lastX = Number.NaN;
  let lastY = Number.NaN;
  for (let i = 0; i <= steps; i++) {
    const cx = cellOf(a.x + ((b.x - a.x) * i) / steps);
    const cy = cellOf(a.y + ((b.y - a.y) * i) / steps);
    if (cx === lastX && cy === lastY) continue;
    lastX = cx;
    lastY = cy;
    visit(cx, cy);
  }
}

/** Points by cell. */
export class PointIndex {
  private readonly cells = new Map<number, number[]>();
  private readonly points: Point[] = [];
  private readonly seen: number[] = [];
  private stamp = 0;

  add(point: Point): void {
    const id = this.points.length;
    this.points.push(point);
    this.seen.push(0);
    const key = cellKey(cellOf(point.x), cellOf(point.y));
    const list = this.cells.get(key);
    if (list) list.push(id);
    else this.cells.set(key, [id]);
  }

  get size(): number {
    return this.points.length;
  }

  /** Every point that may lie within one unit of `at`; stops when `visit` returns false. */
  near(at: Point, visit: (point: Point) => boolean): boolean {
    const cx = cellOf(at.x);
    const cy = cellOf(at.y);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const id of this.cells.get(cellKey(cx + dx, cy + dy)) ?? []) {
          if (!visit(this.points[id] as Point)) return false;
        }
      }
    }
    return true;
  }

  /** Every point that may lie within one unit of the segment from `a` to `b`, once each. */
  nearSegment(a: Point, b: Point, visit: (point: Point) => boolean): boolean {
    const stamp = ++this.stamp;
    let ok = true;
    segmentCells(a, b, (cx, cy) => {
      for (let dx = -1; dx <= 1 && ok; dx++) {
        for (let dy = -1; dy <= 1 && ok; dy++) {
          for (const id of this.cells.get(cellKey(cx + dx, cy + dy)) ?? []) {
            if (this.seen[id] === stamp) continue;
            this.seen[id] = stamp;
            if (!visit(this.points[id] as Point)) {
              ok = false;
              break;
            }
          }
        }
      }
    });
    return ok;
  }
}

/** Segments by the cells they pass through. */
export class SegmentIndex {
  private readonly cells = new Map<number, number[]>();
  private readonly segments: (readonly [Point, Point])[] = [];
  private readonly seen: number[] = [];
  private stamp = 0;

  add(a: Point, b: Point): void {
    const id = this.segments.length;
    this.segments.push([a, b]);
    this.seen.push(0);
    segmentCells(a, b, (cx, cy) => {
      const key = cellKey(cx, cy);
      const list = this.cells.get(key);
      if (list) {
        if (list[list.length - 1] !== id) list.push(id);
      } else this.cells.set(key, [id]);
    });
  }

  /** Every segment that may pass within one unit of `at`, once each. */
  near(at: Point, visit: (a: Point, b: Point) => boolean): boolean {
    this.stamp++;
    const cx = cellOf(at.x);
    const cy = cellOf(at.y);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const id of this.cells.get(cellKey(cx + dx, cy + dy)) ?? []) {
          if (this.seen[id] === this.stamp) continue;
          this.seen[id] = this.stamp;
          const [a, b] = this.segments[id] as readonly [Point, Point];
          if (!visit(a, b)) return false;
        }
      }
    }
    return true;
  }
}
