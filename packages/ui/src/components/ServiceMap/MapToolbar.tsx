"use client";

import type { ColorMode } from "../../serviceMap/colorScale";
import { groupLabel } from "../../serviceMap/grouping";
import type { MapUrlState } from "../../serviceMap/mapUrlState";
import type { LabelMode } from "../../serviceMap/mapView";
import { ExpressionField } from "./ExpressionField";

interface MapToolbarProps {
  state: MapUrlState;
  /** Group keys on the map (namespaces, "(external)"), for the collapse toggles. */
  groups: string[];
  onChange: (changes: Partial<MapUrlState>) => void;
  onExport: (format: "csv" | "json") => void;
  onRelayout: () => void;
  canExport: boolean;
}

export function MapToolbar({ state, groups, onChange, onExport, onRelayout, canExport }: MapToolbarProps) {
  const toggleCollapsed = (key: string) =>
    onChange({
      collapsed: state.collapsed.includes(key)
        ? state.collapsed.filter((k) => k !== key)
        : [...state.collapsed, key],
    });
  return (
    <div className="service-map__toolbar" data-testid="map-toolbar">
      <div className="service-map__controls">
        <label>
          Edge labels
          <select
            value={state.labels}
            onChange={(event) => onChange({ labels: event.target.value as LabelMode })}
            data-testid="map-label-mode"
          >
            <option value="rate">Rate (req/s)</option>
            <option value="errors">Error %</option>
            <option value="p99">p99 latency</option>
          </select>
        </label>
        <label>
          Colour by
          <select
            value={state.color}
            onChange={(event) => onChange({ color: event.target.value as ColorMode })}
            data-testid="map-color-mode"
          >
            <option value="errors">Error rate</option>
            <option value="latency">Latency (p99)</option>
          </select>
        </label>
        <label className="service-map__check">
          <input
            type="checkbox"
            checked={state.unhealthy}
            onChange={(event) => onChange({ unhealthy: event.target.checked })}
            data-testid="map-unhealthy-only"
          />
          Unhealthy only
        </label>
        <fieldset className="service-map__segmented">
          <legend>View</legend>
          <button type="button" aria-pressed={state.view === "map"} onClick={() => onChange({ view: "map" })}>
            Map
          </button>
          <button
            type="button"
            aria-pressed={state.view === "table"}
            onClick={() => onChange({ view: "table" })}
            data-testid="map-view-table"
          >
            Table
          </button>
        </fieldset>
        <button type="button" onClick={onRelayout} disabled={state.view !== "map"}>
          Re-layout
        </button>
        <button
          type="button"
          onClick={() => onExport("csv")}
          disabled={!canExport}
          data-testid="map-export-csv"
        >
          Export CSV
        </button>
        <button
          type="button"
          onClick={() => onExport("json")}
          disabled={!canExport}
          data-testid="map-export-json"
        >
          Export JSON
        </button>
      </div>
      <div className="service-map__controls">
        <ExpressionField
          label="Find"
          placeholder="ns=shop AND errors>5%"
          value={state.find}
          onApply={(find) => onChange({ find })}
          testId="map-find"
        />
        <ExpressionField
          label="Hide"
          placeholder="kind=external OR p99<1ms"
          value={state.hide}
          onApply={(hide) => onChange({ hide })}
          testId="map-hide"
        />
        {groups.length > 0 ? (
          <fieldset className="service-map__groups">
            <legend>Collapse</legend>
            {groups.map((key) => (
              <button
                key={key}
                type="button"
                aria-pressed={state.collapsed.includes(key)}
                onClick={() => toggleCollapsed(key)}
                data-testid="map-collapse-toggle"
                data-group={key}
              >
                {groupLabel(key)}
              </button>
            ))}
          </fieldset>
        ) : null}
      </div>
    </div>
  );
}
