"use client";

import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { checkCustomRange, toLocalInput } from "../../frame/localDateTime";
import { describeRange, presetLabel, RELATIVE_PRESETS, zoomOut } from "../../frame/timeRange";
import type { Frame } from "../../frame/useFrame";

const CUSTOM = "custom";

/** Relative presets in a select; "Custom range…" opens two datetime inputs (absolute mode). */
export function TimeRangePicker({ frame }: { frame: Frame }) {
  const { range } = frame.state;
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const formId = useId();
  const fromInput = useRef<HTMLInputElement>(null);
  // Keyboard users land in the form they just opened.
  useEffect(() => {
    if (editing) fromInput.current?.focus();
  }, [editing]);

  const onSelect = (value: string) => {
    if (value === CUSTOM) {
      setEditing(true);
      return;
    }
    setEditing(false);
    const preset = RELATIVE_PRESETS.find((p) => p === value);
    if (preset) frame.setRange({ kind: "relative", preset });
  };

  const onApply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const checked = checkCustomRange(String(data.get("from") ?? ""), String(data.get("to") ?? ""));
    if (typeof checked === "string") {
      setError(checked);
      return;
    }
    setError(undefined);
    setEditing(false);
    frame.setRange({ kind: "absolute", ...checked });
  };

  return (
    <div className="time-picker" data-testid="time-range">
      <label className="visually-hidden" htmlFor={`${formId}-select`}>
        Time range
      </label>
      <select
        id={`${formId}-select`}
        className="header-control"
        data-testid="time-range-select"
        value={range.kind === "relative" && !editing ? range.preset : CUSTOM}
        onChange={(event) => onSelect(event.target.value)}
      >
        {RELATIVE_PRESETS.map((preset) => (
          <option key={preset} value={preset}>
            {presetLabel(preset)}
          </option>
        ))}
        <option value={CUSTOM}>{range.kind === "absolute" ? describeRange(range) : "Custom range…"}</option>
      </select>
      <button
        type="button"
        className="header-control header-control--icon"
        aria-label="Zoom out (twice the span)"
        title="Zoom out"
        data-testid="time-range-zoom-out"
        onClick={() => frame.setRange(zoomOut(range, Date.now()))}
      >
        −
      </button>
      {range.kind === "absolute" ? (
        <button
          type="button"
          className="header-control"
          data-testid="time-range-live"
          onClick={() => frame.setRange({ kind: "relative", preset: "15m" })}
        >
          Go live
        </button>
      ) : null}
      {editing ? (
        <form
          className="time-picker__custom"
          onSubmit={onApply}
          onKeyDown={(event) => {
            if (event.key === "Escape") setEditing(false);
          }}
          aria-label="Custom time range"
        >
          <label>
            From
            <input
              type="datetime-local"
              name="from"
              ref={fromInput}
              step={1}
              defaultValue={toLocalInput(frame.from.getTime())}
              data-testid="time-range-from"
            />
          </label>
          <label>
            To
            <input
              type="datetime-local"
              name="to"
              step={1}
              defaultValue={toLocalInput(frame.to.getTime())}
              data-testid="time-range-to"
            />
          </label>
          <button type="submit" className="header-control header-control--primary">
            Apply
          </button>
          <button type="button" className="header-control" onClick={() => setEditing(false)}>
            Cancel
          </button>
          {error ? (
            <p role="alert" className="time-picker__error">
              {error}
            </p>
          ) : null}
        </form>
      ) : null}
    </div>
  );
}
