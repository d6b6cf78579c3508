"use client";

// /traces: open a trace by the id a log line or another tool gave (the W3C trace id).
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";

const TRACE_ID = /^[0-9a-fA-F]{32}$/;

export function TraceLookup() {
  const router = useRouter();
  const [id, setId] = useState("");
  const trimmed = id.trim();
  const invalid = trimmed !== "" && !TRACE_ID.test(trimmed);
  return (
    <main className="trace-view">
      <header className="trace-view__title">
        <h1>Traces</h1>
      </header>
      <form
        className="filter-bar"
        onSubmit={(event) => {
          event.preventDefault();
          if (TRACE_ID.test(trimmed)) router.push(`/traces/${trimmed.toLowerCase()}`);
        }}
      >
        <label className="filter-bar__field">
          <span>Trace id (32 hex digits, as in a traceparent header)</span>
          <input
            className="mono"
            value={id}
            onChange={(event) => setId(event.target.value)}
            aria-invalid={invalid}
            autoComplete="off"
          />
        </label>
        <div className="filter-bar__actions">
          <button type="submit" className="button button--primary" disabled={!TRACE_ID.test(trimmed)}>
            Open trace
          </button>
          {invalid ? <p className="filter-bar__problem">A trace id is 32 hexadecimal digits.</p> : null}
        </div>
        <p className="muted">
          Or open any request on the <Link href="/requests">Requests</Link> page: its detail links to its
          trace.
        </p>
      </form>
    </main>
  );
}
