"use client";

import { useEffect, useState } from "react";
import { AgentTable } from "./AgentTable";
import { ConfigEditor } from "./ConfigEditor";
import { useAgents } from "./useAgents";
import "./Agents.css";

export function AgentsPage() {
  const { agents, rates, error, updatedAt } = useAgents();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  return (
    <main className="agents-page">
      <header className="agents-page__head">
        <h1>Agents</h1>
        <p className="muted">
          {agents === undefined ? "Loading…" : `${agents.length} agent${agents.length === 1 ? "" : "s"}`}
          {updatedAt !== undefined ? ` · updated ${ageText(updatedAt, now)}` : ""}. Rates are over the last 10
          s.
        </p>
      </header>
      {error ? (
        <p role="alert" className="agents-error" data-testid="agents-error">
          Cannot list agents: {error}
          {agents ? " (showing the last answer)" : ""}
        </p>
      ) : null}
      <section aria-label="Agents" className="agents-card">
        {agents === undefined ? (
          error ? null : (
            <p className="muted" data-testid="agents-loading">
              Loading agents…
            </p>
          )
        ) : agents.length === 0 ? (
          <p className="agents-empty" data-testid="agents-empty">
            No agent has reported to this collector yet. Start one with PERISCOPE_COLLECTOR_ADDR pointing here
            (packages/agent/README.md).
          </p>
        ) : (
          <AgentTable agents={agents} rates={rates} now={now} />
        )}
      </section>
      <section className="agents-card">
        <ConfigEditor agents={agents} />
      </section>
    </main>
  );
}

function ageText(at: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  return seconds < 2 ? "just now" : `${seconds} s ago`;
}
