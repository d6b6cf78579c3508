"use client";

import { useCallback, useMemo, useRef, useState } from "react";
import { frameOnly } from "../../frame/frameUrl";
import { useFrame } from "../../frame/useFrame";
import type { EdgeData } from "../../serviceMap/elements";
import { edgeExportRows, edgesToCsv, edgesToJson } from "../../serviceMap/exportEdges";
import { groupKeyOf, groupKeyOfSyntheticId } from "../../serviceMap/grouping";
import { parseExpression } from "../../serviceMap/mapExpression";
import { filterMap } from "../../serviceMap/mapFilters";
import type { MapModel } from "../../serviceMap/mapModel";
import { type MapUrlState, mapStatePatch, readMapState } from "../../serviceMap/mapUrlState";
import { buildMapView } from "../../serviceMap/mapView";
import { MapLegend } from "./MapLegend";
import { MapSidePanel } from "./MapSidePanel";
import { MapTable } from "./MapTable";
import { MapToolbar } from "./MapToolbar";
import { ServiceMapCanvas, type ServiceMapCanvasHandle } from "./ServiceMapCanvas";
import type { MapSelection } from "./useCytoscapeGraph";
import { useMapData } from "./useMapData";
import "./ServiceMap.css";

/** The frame's service filter: calls to or from that service, and their ends. */
function withService(model: MapModel, service: string | undefined): MapModel {
  if (!service) return model;
  const edges = model.edges.filter((e) => e.source === service || e.target === service);
  const ends = new Set([service, ...edges.flatMap((e) => [e.source, e.target])]);
  return { ...model, edges, nodes: model.nodes.filter((n) => ends.has(n.id)) };
}

function download(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The service map card: toolbar, legend, the live Cytoscape map or its table, and the side panel. */
export function ServiceMap() {
  const frame = useFrame();
  const state = readMapState(frame.params);
  const map = useMapData(frame);
  const canvas = useRef<ServiceMapCanvasHandle>(null);
  // Opened "N hidden" markers: a local, passing choice, not worth a URL key.
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());

  const change = useCallback(
    (changes: Partial<MapUrlState>) => frame.setParams(mapStatePatch(changes)),
    [frame],
  );
  const find = useMemo(() => parseExpression(state.find), [state.find]);
  const hide = useMemo(() => parseExpression(state.hide), [state.hide]);
  const collapsedKey = state.collapsed.join(",");
  const model = useMemo(
    () => (map.data ? withService(map.data, frame.state.service) : undefined),
    [map.data, frame.state.service],
  );
  const filtered = useMemo(
    () =>
      model
        ? filterMap(model, { hide: hide.ok ? hide.expression : undefined, unhealthyOnly: state.unhealthy })
        : undefined,
    [model, hide, state.unhealthy],
  );
  // The services the map showed last, so that a poll does not swap those near the cut.
  const shownBefore = useRef<ReadonlySet<string> | undefined>(undefined);
  // biome-ignore lint/correctness/useExhaustiveDependencies: collapsedKey stands for state.collapsed by value
  const view = useMemo(() => {
    if (!filtered) return undefined;
    const built = buildMapView(filtered, {
      labelMode: state.labels,
      colorMode: state.color,
      find: find.ok ? find.expression : undefined,
      collapsed: new Set(state.collapsed),
      expanded,
      shownBefore: shownBefore.current,
    });
    shownBefore.current = built.shown;
    return built;
  }, [filtered, state.labels, state.color, find, collapsedKey, expanded]);
  const groups = useMemo(
    () => [...new Set((model?.nodes ?? []).map((n) => groupKeyOf(n)).filter((k) => k !== ""))].sort(),
    [model],
  );

  const onSelect = useCallback(
    (selection: MapSelection) => {
      if (selection?.kind === "node") {
        const synthetic = groupKeyOfSyntheticId(selection.id);
        if (synthetic?.kind === "hidden") {
          setExpanded((previous) => new Set([...previous, synthetic.key]));
          return;
        }
        if (synthetic?.kind === "collapsed") {
          change({ collapsed: state.collapsed.filter((k) => k !== synthetic.key) });
          return;
        }
        change({ node: selection.id, edge: "" });
      } else if (selection?.kind === "edge") {
        change({ edge: selection.id, node: "" });
      } else if (state.node || state.edge) {
        change({ node: "", edge: "" });
      }
    },
    [change, state.collapsed, state.node, state.edge],
  );

  const selectedNode = state.node ? model?.nodes.find((n) => n.id === state.node) : undefined;
  const selectedEdge = useMemo(() => {
    if (!state.edge || !view) return undefined;
    const element = view.elements.find((e) => e.group === "edges" && e.data.id === state.edge);
    const fromModel = model?.edges.find((e) => e.id === state.edge);
    if (element) {
      const data = element.data as EdgeData;
      const isPair = !groupKeyOfSyntheticId(data.source) && !groupKeyOfSyntheticId(data.target);
      return { data, isPair };
    }
    // The table lists edges a collapsed view merges away; they still open.
    if (fromModel) {
      const data: EdgeData = {
        ...fromModel,
        label: "",
        protocols: fromModel.protocols.join(", "),
        tone: "idle",
        match: "",
        memberCount: 1,
      };
      return { data, isPair: true };
    }
    return undefined;
  }, [state.edge, view, model]);

  const exportEdges = (format: "csv" | "json") => {
    if (!filtered || !map.data) return;
    const rows = edgeExportRows(filtered.edges, filtered.nodes);
    const stamp = map.data.to.replace(/[:.]/g, "-");
    if (format === "csv") download(`periscope-map-edges-${stamp}.csv`, edgesToCsv(rows), "text/csv");
    else download(`periscope-map-edges-${stamp}.json`, edgesToJson(rows, map.data), "application/json");
  };

  const range = { from: frame.from.toISOString(), to: frame.to.toISOString() };
  const emptyBecause =
    view && view.elements.length === 0 && (model?.nodes.length ?? 0) > 0
      ? state.unhealthy
        ? "Nothing unhealthy in this range."
        : "Every service is hidden by the hide expression."
      : undefined;

  return (
    <section className="card service-map" aria-labelledby="service-map-title">
      <header className="card__header service-map__header">
        <h2 id="service-map-title" className="card__title">
          Service map
        </h2>
        <span className="card__meta" data-testid="map-meta">
          {view ? `${filtered?.nodes.length ?? 0} services · ${filtered?.edges.length ?? 0} calls` : ""}
          {view && view.hiddenCount > 0 ? ` · ${view.hiddenCount} hidden behind markers` : ""}
          {view && find.ok && find.expression ? ` · ${view.foundCount} found` : ""}
        </span>
        <a
          className="service-map__diff-link"
          href={frame.hrefWithFrame("/map-diff")}
          data-testid="map-diff-link"
        >
          Compare with an earlier range
        </a>
        <MapLegend colorMode={state.color} labelMode={state.labels} />
      </header>
      <MapToolbar
        state={state}
        groups={groups}
        onChange={change}
        onExport={exportEdges}
        onRelayout={() => canvas.current?.relayout()}
        canExport={(filtered?.edges.length ?? 0) > 0}
      />
      {map.error ? (
        <p className="service-map__error" role="alert" data-testid="map-error">
          Map update failed: {map.error}
          {map.data ? " — showing the last map." : ""}
        </p>
      ) : null}
      <div className="service-map__body">
        <div className="service-map__main" hidden={state.view !== "map"}>
          <ServiceMapCanvas
            ref={canvas}
            elements={view?.elements}
            unreachable={map.error !== undefined}
            emptyBecause={emptyBecause}
            onSelect={onSelect}
          />
        </div>
        {state.view === "table" ? (
          filtered ? (
            <MapTable map={filtered} colorMode={state.color} onSelect={onSelect} />
          ) : (
            <p className="service-map__state">Loading…</p>
          )
        ) : null}
        <MapSidePanel
          node={selectedNode}
          edge={selectedNode ? undefined : selectedEdge}
          range={range}
          frameQuery={frameOnly(frame.params)}
          onClose={() => change({ node: "", edge: "" })}
        />
      </div>
    </section>
  );
}
