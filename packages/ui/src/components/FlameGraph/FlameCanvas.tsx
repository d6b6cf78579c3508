"use client";

// Draws a flame tree on a canvas. Canvas, not SVG: a profile of a busy service
// has thousands to tens of thousands of frames (the API allows 100,000), and an
// SVG element per frame makes hover and zoom sluggish at that size, while a
// canvas repaints only the frames layoutFlameGraph says are visible. A canvas is
// opaque to assistive technology, so it is labelled as an image, the selected
// frame is announced in a live region, it is operable from the keyboard
// (arrows move between frames, Enter zooms, Escape resets), and the page shows
// the same data as a table of top functions.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { FlameTree } from "../../flamegraph/flameTree";
import { type FrameRect, frameAt, layoutFlameGraph, type Orientation } from "../../flamegraph/layout";

export const ROW_HEIGHT = 18;
const LABEL_MIN_WIDTH = 28;
const TEXT_COLOUR = "#111827";
const MATCH_OUTLINE = 2;

export interface FlameCanvasProps {
  tree: FlameTree;
  orientation: Orientation;
  focus: number;
  onFocus(index: number): void;
  /** Fill colour of each frame. */
  colourOf(index: number): string;
  /** Frames the search matched; the others are dimmed. */
  matched?: readonly boolean[];
  dimmedColour: string;
  matchColour: string;
  /** The tooltip's content for a frame. */
  describe(index: number): { title: string; lines: string[] };
  label: string;
  testId?: string;
}

export function FlameCanvas(props: FlameCanvasProps) {
  const { tree, orientation, focus, onFocus, describe, label } = props;
  const containerRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const width = useWidth(containerRef);
  const [hover, setHover] = useState<{ rect: FrameRect; x: number; y: number } | undefined>();
  const [selected, setSelected] = useState<number | undefined>();

  const layout = useMemo(
    () => layoutFlameGraph(tree, { width, rowHeight: ROW_HEIGHT, orientation, focus }),
    [tree, width, orientation, focus],
  );

  // Repaint when what is drawn changes; hover and keyboard selection are DOM overlays and do not repaint.
  const { colourOf, matched, dimmedColour, matchColour } = props;
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || width <= 0) return;
    paint(canvas, layout, width, { tree, colourOf, matched, dimmedColour, matchColour });
  }, [layout, width, tree, colourOf, matched, dimmedColour, matchColour]);

  // A new tree or zoom makes the keyboard selection meaningless: start at the focused frame.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the picture changes
  useEffect(() => setSelected(undefined), [tree, focus]);

  const pointer = useCallback(
    (event: React.MouseEvent<HTMLCanvasElement>) => {
      const box = event.currentTarget.getBoundingClientRect();
      const x = event.clientX - box.left;
      const y = event.clientY - box.top;
      const rect = frameAt(layout, x, y, ROW_HEIGHT);
      return rect ? { rect, x, y } : undefined;
    },
    [layout],
  );

  const keyboard = (event: React.KeyboardEvent<HTMLCanvasElement>) => {
    const current = selected ?? focus;
    const next = keyTarget(tree, layout, current, event.key, orientation);
    if (event.key === "Enter" || event.key === " ") {
      onFocus(current);
    } else if (event.key === "Escape") {
      onFocus(0);
    } else if (next !== undefined) {
      setSelected(next);
    } else {
      return;
    }
    event.preventDefault();
  };

  const shown = hover?.rect.index ?? selected;
  const tooltip = shown !== undefined ? describe(shown) : undefined;
  const selectedRect =
    selected !== undefined ? layout.rects.find((rect) => rect.index === selected) : undefined;

  return (
    <div className="flame-canvas" ref={containerRef} data-testid={props.testId}>
      <canvas
        ref={canvasRef}
        role="img"
        aria-label={label}
        aria-describedby={props.testId ? `${props.testId}-selected` : undefined}
        tabIndex={0}
        data-frames={layout.rects.length}
        data-focus={tree.names[focus]}
        data-rows={layout.rows}
        style={{ height: layout.height }}
        onMouseMove={(event) => setHover(pointer(event))}
        onMouseLeave={() => setHover(undefined)}
        onClick={(event) => {
          const hit = pointer(event);
          if (hit) onFocus(hit.rect.index);
        }}
        onKeyDown={keyboard}
      />
      {selectedRect ? (
        <div
          className="flame-canvas__selection"
          aria-hidden="true"
          style={{ left: selectedRect.x, top: selectedRect.y, width: selectedRect.width, height: ROW_HEIGHT }}
        />
      ) : null}
      <p
        className="visually-hidden"
        id={props.testId ? `${props.testId}-selected` : undefined}
        aria-live="polite"
      >
        {selected !== undefined && tooltip ? `${tooltip.title}: ${tooltip.lines.join("; ")}` : ""}
      </p>
      {tooltip && (hover || selectedRect) ? (
        <div
          className="flame-tooltip"
          role="tooltip"
          data-testid="flame-tooltip"
          style={tooltipPosition(hover ?? { x: selectedRect?.x ?? 0, y: selectedRect?.y ?? 0 }, width)}
        >
          <strong className="mono">{tooltip.title}</strong>
          {tooltip.lines.map((line) => (
            <span key={line}>{line}</span>
          ))}
        </div>
      ) : null}
    </div>
  );
}

function tooltipPosition(point: { x: number; y: number }, width: number): React.CSSProperties {
  // Flip to the left of the pointer in the right third so the box stays inside the graph.
  const left = point.x > (width * 2) / 3 ? undefined : point.x + 14;
  const right = left === undefined ? width - point.x + 14 : undefined;
  return { left, right, top: point.y + 16 };
}

/** The frame the arrow keys move to: up and down the stack, along a row. */
function keyTarget(
  tree: FlameTree,
  layout: ReturnType<typeof layoutFlameGraph>,
  current: number,
  key: string,
  orientation: Orientation,
): number | undefined {
  const toChild = orientation === "flame" ? "ArrowUp" : "ArrowDown";
  const toParent = orientation === "flame" ? "ArrowDown" : "ArrowUp";
  const visible = new Set(layout.rects.map((rect) => rect.index));
  if (key === toParent) {
    const parent = tree.parents[current] as number;
    return parent >= 0 ? parent : undefined;
  }
  if (key === toChild) {
    // The widest visible child: the likeliest next step down a hot path.
    let best: number | undefined;
    for (
      let child = current + 1;
      child < (tree.ends[current] as number);
      child = tree.ends[child] as number
    ) {
      if (
        visible.has(child) &&
        (best === undefined || (tree.values[child] as number) > (tree.values[best] as number))
      )
        best = child;
    }
    return best;
  }
  if (key === "ArrowLeft" || key === "ArrowRight") {
    const row = layout.rects.filter((rect) => tree.levels[rect.index] === tree.levels[current]);
    const at = row.findIndex((rect) => rect.index === current);
    const next = row[key === "ArrowLeft" ? at - 1 : at + 1];
    return next?.index;
  }
  return undefined;
}

function paint(
  canvas: HTMLCanvasElement,
  layout: ReturnType<typeof layoutFlameGraph>,
  width: number,
  props: Pick<FlameCanvasProps, "tree" | "colourOf" | "matched" | "dimmedColour" | "matchColour">,
): void {
  const ratio = window.devicePixelRatio || 1;
  const height = layout.height;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const context = canvas.getContext("2d");
  if (!context) return;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, width, height);
  context.font = `12px ${getComputedStyle(canvas).getPropertyValue("--font-mono") || "monospace"}`;
  context.textBaseline = "middle";
  const charWidth = context.measureText("m").width || 7;
  for (const rect of layout.rects) {
    const index = rect.index;
    const isMatch = props.matched?.[index] === true;
    const dim = rect.ancestor || (props.matched !== undefined && !isMatch);
    context.fillStyle = dim ? props.dimmedColour : props.colourOf(index);
    // One pixel of gap between neighbours so adjacent frames of one colour stay apart.
    const w = Math.max(rect.width - 1, 0.5);
    context.fillRect(rect.x, rect.y, w, ROW_HEIGHT - 1);
    if (isMatch) {
      context.strokeStyle = props.matchColour;
      context.lineWidth = MATCH_OUTLINE;
      context.strokeRect(rect.x + 1, rect.y + 1, Math.max(w - 2, 0), ROW_HEIGHT - 3);
    }
    if (rect.width >= LABEL_MIN_WIDTH) {
      const name = props.tree.names[index] as string;
      const fits = Math.floor((rect.width - 8) / charWidth);
      const text = name.length <= fits ? name : `${name.slice(0, Math.max(fits - 1, 1))}…`;
      context.fillStyle = TEXT_COLOUR;
      context.fillText(text, rect.x + 4, rect.y + ROW_HEIGHT / 2);
    }
  }
}

/** The element's content width, followed as the window resizes. */
function useWidth(ref: React.RefObject<HTMLDivElement | null>): number {
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    setWidth(element.clientWidth);
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}
