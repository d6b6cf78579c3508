"use client";

import Link from "next/link";
import { useMemo, useState } from "react";
import { buildFlameTree, type FlameGraphData, parseFlameGraph } from "../../flamegraph/flameTree";
import { FlameGraph, type FlameViewState } from "../FlameGraph/FlameGraph";
import { Panel } from "./Panel";
import { type ApiRange, flameGraphUrl } from "./serviceApiUrls";
import { useApiResource } from "./useApiResource";

const INITIAL_VIEW: FlameViewState = { orientation: "flame", search: "", focusPath: [], sandwich: "" };

/**
 * The service's CPU flame graph for the range, embedded; its view state (zoom,
 * search) stays on this page. The full viewer (diff, scopes, state in the URL)
 * is the flame page this panel links to.
 */
export function ServiceFlame({
  name,
  range,
  flameHref,
}: {
  name: string;
  range: ApiRange;
  flameHref: string;
}) {
  const graph = useApiResource(flameGraphUrl(range, name), parseFlameGraph);
  const [view, setView] = useState<FlameViewState>(INITIAL_VIEW);
  return (
    <Panel
      id="service-flame"
      title="CPU profile"
      resource={graph}
      isEmpty={(data: FlameGraphData) => data.total === 0 || data.names.length === 0}
      emptyText="No CPU samples of this service in this range."
      actions={<Link href={flameHref}>Open in the flame graph viewer</Link>}
    >
      {(data) => (
        <FlameOf data={data} view={view} onChange={(patch) => setView((v) => ({ ...v, ...patch }))} />
      )}
    </Panel>
  );
}

function FlameOf(props: {
  data: FlameGraphData;
  view: FlameViewState;
  onChange: (patch: Partial<FlameViewState>) => void;
}) {
  const tree = useMemo(() => buildFlameTree(props.data), [props.data]);
  // Deep JavaScript stacks make a graph taller than the page; embedded, it scrolls in its own box.
  return (
    <div className="svc-flame">
      <FlameGraph graph={{ kind: "single", tree }} view={props.view} onChange={props.onChange} />
    </div>
  );
}
