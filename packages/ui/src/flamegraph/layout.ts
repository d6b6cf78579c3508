// Geometry: which frames are drawn where. A pure function of the tree, the
// focused (zoomed) frame, the orientation and the canvas size, so it is tested
// without a browser and the canvas only paints what this returns.
import type { FlameTree } from "./flameTree";

export type Orientation = "flame" | "icicle";

export interface FrameRect {
  index: number;
  x: number;
  y: number;
  width: number;
  /** Ancestors of the focused frame: drawn full width, dimmed, as the way back out. */
  ancestor: boolean;
}

export interface LayoutOptions {
  width: number;
  rowHeight: number;
  orientation: Orientation;
  /** The zoomed-in frame; 0 (the root) shows everything. */
  focus?: number;
  /**
   * Frames narrower than this many pixels are not drawn, nor their subtrees
   * (a child is never wider than its parent). Sub-pixel frames cost as much to
   * paint as wide ones and show nothing; Grafana and Parca draw only visible frames.
   */
  minWidth?: number;
}

export interface FlameLayout {
  rects: FrameRect[];
  /** Rows the drawn frames span (root row included). */
  rows: number;
  height: number;
}

export function layoutFlameGraph(tree: FlameTree, options: LayoutOptions): FlameLayout {
  const { width, rowHeight, orientation } = options;
  const minWidth = options.minWidth ?? 1;
  const count = tree.names.length;
  if (count === 0 || (tree.values[0] as number) <= 0) return { rects: [], rows: 0, height: 0 };
  const focus =
    options.focus !== undefined && options.focus >= 0 && options.focus < count ? options.focus : 0;
  const focusValue = tree.values[focus] as number;
  const focusStart = tree.starts[focus] as number;
  const scale = focusValue > 0 ? width / focusValue : 0;
  const focusLevel = tree.levels[focus] as number;

  const placed: Omit<FrameRect, "y">[] = [];
  const levels: number[] = [];
  for (let i = tree.parents[focus] as number; i >= 0; i = tree.parents[i] as number) {
    placed.unshift({ index: i, x: 0, width, ancestor: true });
    levels.unshift(tree.levels[i] as number);
  }
  let maxLevel = focusLevel;
  const end = tree.ends[focus] as number;
  for (let i = focus; i < end; ) {
    const frameWidth = (tree.values[i] as number) * scale;
    if (frameWidth < minWidth) {
      i = tree.ends[i] as number; // skip the whole subtree
      continue;
    }
    const level = tree.levels[i] as number;
    placed.push({
      index: i,
      x: ((tree.starts[i] as number) - focusStart) * scale,
      width: frameWidth,
      ancestor: false,
    });
    levels.push(level);
    if (level > maxLevel) maxLevel = level;
    i += 1;
  }
  const rows = maxLevel + 1;
  const rects = placed.map((rect, k) => {
    const level = levels[k] as number;
    const row = orientation === "icicle" ? level : maxLevel - level;
    return { ...rect, y: row * rowHeight };
  });
  return { rects, rows, height: rows * rowHeight };
}

/** The frame under a point, for hover and click; undefined over empty space. */
export function frameAt(layout: FlameLayout, x: number, y: number, rowHeight: number): FrameRect | undefined {
  for (const rect of layout.rects) {
    if (y >= rect.y && y < rect.y + rowHeight && x >= rect.x && x < rect.x + rect.width) return rect;
  }
  return undefined;
}
