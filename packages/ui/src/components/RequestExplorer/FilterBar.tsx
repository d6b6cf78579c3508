"use client";

// Every filter GET /api/v1/requests takes, as one form: typing changes nothing until
// Apply (one URL change, one query), so Back steps through searches, not keystrokes.
// Names come from /api/v1/names as native <datalist> suggestions (keyboard and
// screen-reader friendly for free).
import { type FormEvent, useEffect, useState } from "react";
import { parsePickerNames } from "../../requests/parseRequestsApi";
import {
  DEFAULT_FILTERS,
  filterProblem,
  PROTOCOLS,
  type RequestFilters,
} from "../../requests/requestFilters";
import type { PickerName } from "../../requests/requestTypes";
import { useApiJson } from "./useApiJson";

export interface FilterValues extends RequestFilters {
  service: string;
  namespace: string;
}

export interface FilterBarProps {
  values: FilterValues;
  /** from/to for the names API: the frame's, whole minutes (live ticks need no new suggestions). */
  rangeQuery: string;
  onApply(values: FilterValues): void;
}

type TextKey = Exclude<keyof FilterValues, "selFrom" | "selTo" | "request" | "error" | "observations">;

const TEXT_FIELDS: { key: TextKey; label: string; list?: string; placeholder?: string; mono?: boolean }[] = [
  { key: "service", label: "Service", list: "names-service", placeholder: "client or server" },
  { key: "peer", label: "Peer", list: "names-service", placeholder: "the other end" },
  { key: "namespace", label: "Namespace", list: "names-namespace" },
  { key: "operation", label: "Operation", list: "names-operation", placeholder: "GET, SELECT…" },
  { key: "target", label: "Target contains", placeholder: "/checkout", mono: true },
  { key: "status", label: "Status", placeholder: "500" },
  { key: "minDurationMs", label: "Min ms", placeholder: "0" },
  { key: "maxDurationMs", label: "Max ms", placeholder: "∞" },
  { key: "traceId", label: "Trace id", placeholder: "32 hex", mono: true },
  { key: "workload", label: "Workload" },
  { key: "pod", label: "Pod" },
  { key: "node", label: "Node" },
];

const namesUrl = (kind: string, rangeQuery: string, service?: string) =>
  `/api/v1/names?kind=${kind}&limit=200&${rangeQuery}${service ? `&service=${encodeURIComponent(service)}` : ""}`;

export function FilterBar({ values, rangeQuery, onApply }: FilterBarProps) {
  const [draft, setDraft] = useState(values);
  // The URL is the source: a Back/Forward or a heatmap selection resets the form to it.
  const valuesKey = JSON.stringify(values);
  useEffect(() => setDraft(JSON.parse(valuesKey) as FilterValues), [valuesKey]);
  const services = useApiJson(namesUrl("service", rangeQuery), parsePickerNames);
  const namespaces = useApiJson(namesUrl("namespace", rangeQuery), parsePickerNames);
  // Keyed on the applied service, not the draft: one lookup per search, not per keystroke.
  const operations = useApiJson(
    namesUrl("operation", rangeQuery, values.service || undefined),
    parsePickerNames,
  );
  const protocols = useApiJson(namesUrl("protocol", rangeQuery), parsePickerNames);
  const protocolChoices = protocols.data?.length ? protocols.data.map((p) => p.name) : [...PROTOCOLS];

  const problems = TEXT_FIELDS.flatMap(({ key, label }) => {
    const problem = filterProblem(key as keyof RequestFilters, draft[key]);
    return problem ? [{ key, message: `${label}: ${problem}` }] : [];
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (problems.length === 0) onApply(draft);
  };
  const set = (key: keyof FilterValues, value: string) => setDraft((d) => ({ ...d, [key]: value }));

  return (
    <form className="filter-bar" onSubmit={submit} aria-label="Request filters" data-testid="filter-bar">
      <div className="filter-bar__fields">
        {TEXT_FIELDS.map(({ key, label, list, placeholder, mono }) => (
          <label key={key} className="filter-bar__field">
            <span>{label}</span>
            <input
              name={key}
              className={mono ? "mono" : undefined}
              value={draft[key]}
              list={list}
              placeholder={placeholder}
              autoComplete="off"
              aria-invalid={problems.some((p) => p.key === key)}
              onChange={(event) => set(key, event.target.value)}
            />
          </label>
        ))}
        <label className="filter-bar__field">
          <span>Protocol</span>
          <select
            name="protocol"
            value={draft.protocol}
            onChange={(event) => set("protocol", event.target.value)}
          >
            <option value="">any</option>
            {protocolChoices.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label className="filter-bar__field">
          <span>Outcome</span>
          <select name="error" value={draft.error} onChange={(event) => set("error", event.target.value)}>
            <option value="">any</option>
            <option value="true">errors only</option>
            <option value="false">no errors</option>
          </select>
        </label>
        <label className="filter-bar__field">
          <span>Observations</span>
          <select
            name="observations"
            value={draft.observations}
            onChange={(event) => set("observations", event.target.value)}
          >
            <option value="one">one per call</option>
            <option value="all">both ends</option>
          </select>
        </label>
      </div>
      <div className="filter-bar__actions">
        <button type="submit" className="button button--primary" disabled={problems.length > 0}>
          Apply
        </button>
        <button
          type="button"
          className="button"
          onClick={() => onApply({ ...DEFAULT_FILTERS, service: "", namespace: "", request: values.request })}
        >
          Clear
        </button>
        {problems.length > 0 ? (
          <p className="filter-bar__problem" role="alert">
            {problems.map((p) => p.message).join(" · ")}
          </p>
        ) : null}
      </div>
      <NameList id="names-service" names={services.data} />
      <NameList id="names-namespace" names={namespaces.data} />
      <NameList id="names-operation" names={operations.data} />
    </form>
  );
}

function NameList({ id, names }: { id: string; names: PickerName[] | undefined }) {
  return (
    <datalist id={id}>
      {(names ?? []).map((n) => (
        <option key={n.name} value={n.name} />
      ))}
    </datalist>
  );
}
