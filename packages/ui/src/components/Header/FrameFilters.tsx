"use client";

import { type FormEvent, useEffect, useId, useState } from "react";
import { fetchApi } from "../../api/fetchApi";
import type { Frame } from "../../frame/useFrame";
import { parseNames } from "./parseNames";

/** Namespace select and service box; options come from the names API for the frame's range. */
export function FrameFilters({ frame }: { frame: Frame }) {
  const id = useId();
  const { namespace, service } = frame.state;
  const namespaces = useNames("namespace", frame);
  const services = useNames("service", frame);

  const onService = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get("service") ?? "").trim();
    frame.setService(value || undefined);
  };

  // The current value stays selectable even when the range no longer lists it.
  const namespaceOptions =
    namespace && !namespaces.includes(namespace) ? [namespace, ...namespaces] : namespaces;

  return (
    <div className="frame-filters">
      <label className="visually-hidden" htmlFor={`${id}-ns`}>
        Namespace
      </label>
      <select
        id={`${id}-ns`}
        className="header-control"
        data-testid="namespace-filter"
        value={namespace ?? ""}
        onChange={(event) => frame.setNamespace(event.target.value || undefined)}
      >
        <option value="">{namespaceOptions.length === 0 ? "No namespaces" : "All namespaces"}</option>
        {namespaceOptions.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
      <search className="frame-filters__service">
        <form onSubmit={onService} aria-label="Service filter">
          <label className="visually-hidden" htmlFor={`${id}-svc`}>
            Service
          </label>
          <input
            key={service ?? ""}
            id={`${id}-svc`}
            name="service"
            className="header-control"
            list={`${id}-svc-list`}
            placeholder="Service…"
            defaultValue={service ?? ""}
            data-testid="service-filter"
            autoComplete="off"
          />
          <datalist id={`${id}-svc-list`}>
            {services.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
          {service ? (
            <button
              type="button"
              className="header-control header-control--icon"
              aria-label={`Clear service filter ${service}`}
              onClick={() => frame.setService(undefined)}
            >
              ×
            </button>
          ) : null}
        </form>
      </search>
    </div>
  );
}

/**
 * Names of one kind for the frame's range, refetched as a live range moves (every
 * liveTickMs: new services appear without a reload; the names query reads roll-ups).
 */
function useNames(kind: "namespace" | "service", frame: Frame): string[] {
  const [names, setNames] = useState<string[]>([]);
  const { from, to } = frame;
  useEffect(() => {
    const controller = new AbortController();
    const query = new URLSearchParams({ kind, limit: "200", from: from.toISOString(), to: to.toISOString() });
    fetchApi(`/api/v1/names?${query}`, parseNames, controller.signal)
      .then((result) => {
        if (result.ok) setNames(result.value);
      })
      .catch(() => {});
    return () => controller.abort();
  }, [kind, from, to]);
  return names;
}
