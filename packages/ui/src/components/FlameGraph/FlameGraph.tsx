"use client";

// The flame graph viewer: toolbar (search, orientation, zoom trail, sandwich),
// the canvas, a legend and the top-functions table. Controlled: every piece of
// view state comes in as props and goes out through onChange, so the page can
// keep it in the URL.
import { format } from "d3";
import { useMemo, useRef } from "react";
import { diffColour, frameColour } from "../../flamegraph/colours";
import { type DiffTree, UNCHANGED_BELOW } from "../../flamegraph/diff";
import { type FlameTree, findPath, namePath } from "../../flamegraph/flameTree";
import { topFunctions } from "../../flamegraph/frameStats";
import type { Orientation } from "../../flamegraph/layout";
import { buildSandwich } from "../../flamegraph/sandwich";
import { compileSearch, exactNameQuery, searchFlameTree } from "../../flamegraph/search";
import { DiffTable } from "./DiffTable";
import { describeDiffFrame, describeFrame } from "./describeFrame";
import { FlameCanvas } from "./FlameCanvas";
import { FlameLegend } from "./FlameLegend";
import { TopFunctions } from "./TopFunctions";
import { usePalette } from "./usePalette";
import "./FlameGraph.css";

const percent = format(".1%");
const TOP_ROWS = 25;

export interface FlameViewState {
  orientation: Orientation;
  search: string;
  /** Names from below the root down to the zoomed frame. */
  focusPath: string[];
  sandwich: string;
}

export interface FlameGraphProps {
  /** A range's graph, or a diff of two (its tree is drawn, coloured by change). */
  graph: { kind: "single"; tree: FlameTree } | { kind: "diff"; diff: DiffTree };
  view: FlameViewState;
  /** `typing` marks changes made while typing (the URL is replaced, not pushed). */
  onChange(patch: Partial<FlameViewState>, typing?: boolean): void;
}

export function FlameGraph({ graph, view, onChange }: FlameGraphProps) {
  const rootRef = useRef<HTMLDivElement>(null);
  const palette = usePalette(rootRef);
  const tree = graph.kind === "single" ? graph.tree : graph.diff.tree;
  const focusIndex = findPath(tree, view.focusPath);
  const focus = Math.max(focusIndex, 0);

  const matcher = useMemo(() => compileSearch(view.search), [view.search]);
  const search = useMemo(
    () => (matcher?.ok ? searchFlameTree(tree, matcher.test) : undefined),
    [tree, matcher],
  );
  const top = useMemo(() => (graph.kind === "single" ? topFunctions(graph.tree, TOP_ROWS) : []), [graph]);
  const sandwich = useMemo(
    () =>
      graph.kind === "single" && view.sandwich !== "" ? buildSandwich(graph.tree, view.sandwich) : undefined,
    [graph, view.sandwich],
  );

  // Stable while the graph and palette are: the canvas repaints when these change, not on every hover.
  const colourOf = useMemo(
    () =>
      graph.kind === "single"
        ? (index: number) => frameColour(graph.tree.names[index] as string, index, palette)
        : (index: number) =>
            diffColour(graph.diff.delta[index] as number, graph.diff.maxAbsDelta, palette, UNCHANGED_BELOW),
    [graph, palette],
  );
  const describe = useMemo(
    () =>
      graph.kind === "single"
        ? (index: number) => describeFrame(graph.tree, index)
        : (index: number) => describeDiffFrame(graph.diff, index),
    [graph],
  );
  const zoomTo = (index: number) => onChange({ focusPath: namePath(tree, index) });
  const trail = [0, ...view.focusPath.map((_, k) => findPath(tree, view.focusPath.slice(0, k + 1)))].filter(
    (index) => index >= 0,
  );
  const samples = graph.kind === "single" ? graph.tree.total : graph.diff.comparisonSamples;

  return (
    <div className="flame-graph" ref={rootRef} data-testid="flame-graph" data-kind={graph.kind}>
      <div className="flame-toolbar" role="toolbar" aria-label="Flame graph controls">
        <label className="flame-toolbar__search">
          <span>Search</span>
          <input
            type="search"
            value={view.search}
            placeholder="function name or /regex/"
            onChange={(event) => onChange({ search: event.target.value }, true)}
            aria-invalid={matcher?.ok === false}
            aria-describedby="flame-search-result"
            data-testid="flame-search"
          />
        </label>
        <output id="flame-search-result" className="flame-toolbar__matched" data-testid="flame-search-result">
          {matcher === undefined
            ? ""
            : matcher.ok
              ? `matched ${percent(search?.share ?? 0)} of samples (${search?.matchCount ?? 0} ${search?.matchCount === 1 ? "frame" : "frames"})${graph.kind === "diff" ? ", mean of both ranges" : ""}`
              : matcher.error}
        </output>
        <fieldset className="flame-toolbar__toggle">
          <legend className="visually-hidden">Orientation</legend>
          {(["flame", "icicle"] as const).map((orientation) => (
            <button
              key={orientation}
              type="button"
              aria-pressed={view.orientation === orientation}
              onClick={() => onChange({ orientation })}
            >
              {orientation === "flame" ? "Flame (root at bottom)" : "Icicle (root at top)"}
            </button>
          ))}
        </fieldset>
        <button type="button" onClick={() => onChange({ focusPath: [] })} disabled={focus === 0}>
          Reset zoom
        </button>
        {graph.kind === "single" && focus > 0 ? (
          <button
            type="button"
            onClick={() => onChange({ sandwich: tree.names[focus] as string })}
            data-testid="flame-sandwich-focus"
          >
            Callers and callees of {tree.names[focus]}
          </button>
        ) : null}
      </div>

      {trail.length > 1 ? (
        <nav className="flame-trail" aria-label="Zoom trail">
          <ol>
            {trail.map((index, k) => (
              <li key={`${index}`}>
                {k === trail.length - 1 ? (
                  <span aria-current="true" className="mono">
                    {tree.names[index]}
                  </span>
                ) : (
                  <button type="button" className="mono" onClick={() => zoomTo(index)}>
                    {tree.names[index]}
                  </button>
                )}
              </li>
            ))}
          </ol>
        </nav>
      ) : null}

      <FlameLegend mode={graph.kind} maxAbsDelta={graph.kind === "diff" ? graph.diff.maxAbsDelta : 0} />

      <FlameCanvas
        tree={tree}
        orientation={view.orientation}
        focus={focus}
        onFocus={zoomTo}
        colourOf={colourOf}
        matched={search?.matched}
        dimmedColour={palette.dimmed}
        matchColour={palette.match}
        describe={describe}
        label={canvasLabel(graph, samples, tree.names[focus] as string)}
        testId="flame-canvas"
      />

      {sandwich ? (
        <section
          className="flame-sandwich"
          aria-labelledby="flame-sandwich-title"
          data-testid="flame-sandwich"
        >
          <header>
            <h2 id="flame-sandwich-title">
              Sandwich: <span className="mono">{view.sandwich}</span>
            </h2>
            <span className="muted">
              on the stack in {percent(samples > 0 ? sandwich.total / samples : 0)} of samples, called from{" "}
              {sandwich.occurrences} {sandwich.occurrences === 1 ? "place" : "places"}
            </span>
            <button type="button" onClick={() => onChange({ sandwich: "" })}>
              Close sandwich
            </button>
          </header>
          <h3>Callers (above)</h3>
          <FlameCanvas
            tree={sandwich.callers}
            orientation="flame"
            focus={0}
            onFocus={() => {}}
            colourOf={(index) => frameColour(sandwich.callers.names[index] as string, index, palette)}
            dimmedColour={palette.dimmed}
            matchColour={palette.match}
            describe={(index) => describeFrame(sandwich.callers, index)}
            label={`Callers of ${view.sandwich}`}
            testId="flame-callers"
          />
          <h3>Callees (below)</h3>
          <FlameCanvas
            tree={sandwich.callees}
            orientation="icicle"
            focus={0}
            onFocus={() => {}}
            colourOf={(index) => frameColour(sandwich.callees.names[index] as string, index, palette)}
            dimmedColour={palette.dimmed}
            matchColour={palette.match}
            describe={(index) => describeFrame(sandwich.callees, index)}
            label={`Functions called by ${view.sandwich}`}
            testId="flame-callees"
          />
        </section>
      ) : view.sandwich !== "" && graph.kind === "single" ? (
        <p className="flame-note" role="status">
          <span className="mono">{view.sandwich}</span> is not in this graph.{" "}
          <button type="button" onClick={() => onChange({ sandwich: "" })}>
            Close sandwich
          </button>
        </p>
      ) : null}

      {graph.kind === "single" ? (
        <TopFunctions
          rows={top}
          totalSamples={graph.tree.total}
          onSearch={(name) => onChange({ search: exactNameQuery(name) })}
          onSandwich={(name) => onChange({ sandwich: name })}
        />
      ) : (
        <DiffTable
          rows={graph.diff.functions.slice(0, TOP_ROWS)}
          baselineSamples={graph.diff.baselineSamples}
          comparisonSamples={graph.diff.comparisonSamples}
          onSearch={(search) => onChange({ search })}
        />
      )}
    </div>
  );
}

function canvasLabel(graph: FlameGraphProps["graph"], samples: number, focusName: string): string {
  const count = format(",")(samples);
  const what =
    graph.kind === "single"
      ? `Flame graph of ${count} samples`
      : `Diff flame graph: ${format(",")(graph.diff.baselineSamples)} baseline and ${count} comparison samples`;
  return `${what}, zoomed to ${focusName}. Arrow keys move between frames, Enter zooms, Escape resets. ${graph.kind === "single" ? "The table below lists the top functions." : "The table below lists the largest changes."}`;
}
