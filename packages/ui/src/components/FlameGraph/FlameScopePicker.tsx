"use client";

// The page's selectors. Namespace and service are the frame's own filters (the
// header's, when it shows them), so choosing one here carries to other pages.
import { useEffect, useState } from "react";
import {
  DIFF_BASELINES,
  type DiffBaseline,
  type FlameParams,
  type ServiceSplit,
} from "../../flamegraph/flameParams";
import type { AgentOption, ProcessOption, ServiceOption } from "../../flamegraph/flameRequests";

const BASELINE_LABELS: Record<DiffBaseline, string> = {
  off: "No comparison",
  previous: "the range just before",
  day: "the same range a day earlier",
  week: "the same range a week earlier",
  custom: "a range I pick",
};

export interface FlameScopePickerProps {
  namespaces: string[];
  services: ServiceOption[];
  /** Processes seen as the chosen service, offered as pid suggestions. */
  processes: ProcessOption[];
  /** Agents, one per node: the collector's node scope is the agent that took the samples. */
  agents: AgentOption[];
  node: string;
  /** A chosen service's graph under one root frame per pod or process. */
  split: ServiceSplit;
  namespace: string | undefined;
  service: string | undefined;
  pid: number;
  diff: DiffBaseline;
  baseFrom: string;
  baseTo: string;
  baselineError: string | undefined;
  onNamespace(namespace: string | undefined): void;
  onService(service: string | undefined): void;
  onView(patch: Partial<FlameParams>, typing?: boolean): void;
}

export function FlameScopePicker(props: FlameScopePickerProps) {
  const { namespaces, services, namespace, service, pid, diff } = props;
  // The URL may name a service the list does not hold (another range): keep it selectable.
  const serviceNames = services.map((option) => option.name);
  if (service !== undefined && !serviceNames.includes(service)) serviceNames.unshift(service);
  const namespaceNames =
    namespace !== undefined && !namespaces.includes(namespace) ? [namespace, ...namespaces] : namespaces;
  const [pidText, setPidText] = useState(pid > 0 ? String(pid) : "");
  useEffect(() => setPidText(pid > 0 ? String(pid) : ""), [pid]);
  const pidValid =
    pidText === "" || (/^\d+$/.test(pidText) && Number(pidText) >= 1 && Number(pidText) <= 4_294_967_295);

  return (
    <form className="flame-scope" aria-label="Profile scope" onSubmit={(event) => event.preventDefault()}>
      <label>
        <span>Namespace</span>
        <select
          value={namespace ?? ""}
          onChange={(event) => props.onNamespace(event.target.value || undefined)}
          data-testid="flame-namespace"
        >
          <option value="">All namespaces</option>
          {namespaceNames.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Service</span>
        <select
          value={service ?? ""}
          onChange={(event) => props.onService(event.target.value || undefined)}
          data-testid="flame-service"
        >
          <option value="">Every service, split by service</option>
          {serviceNames.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Node</span>
        <select
          value={props.node}
          onChange={(event) => props.onView({ node: event.target.value })}
          data-testid="flame-node"
        >
          <option value="">Every node</option>
          {props.agents.map((agent) => (
            <option key={agent.agentId} value={agent.agentId}>
              {agent.hostname || agent.agentId}
            </option>
          ))}
          {props.node !== "" && !props.agents.some((agent) => agent.agentId === props.node) ? (
            <option value={props.node}>{props.node}</option>
          ) : null}
        </select>
      </label>
      {props.service ? (
        <label>
          <span>Split by</span>
          <select
            value={props.split}
            onChange={(event) => props.onView({ split: event.target.value as ServiceSplit })}
            data-testid="flame-split"
          >
            <option value="off">Nothing</option>
            <option value="pod">Pod</option>
            <option value="process">Process</option>
          </select>
        </label>
      ) : null}
      <label>
        <span>Process id</span>
        <input
          inputMode="numeric"
          value={pidText}
          placeholder="any"
          size={10}
          list="flame-pids"
          aria-invalid={!pidValid}
          aria-describedby={pidValid ? undefined : "flame-pid-error"}
          onChange={(event) => {
            const text = event.target.value.trim();
            setPidText(text);
            if (text === "") props.onView({ pid: 0 }, true);
            else if (/^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= 4_294_967_295)
              props.onView({ pid: Number(text) }, true);
          }}
          data-testid="flame-pid"
        />
      </label>
      <datalist id="flame-pids" data-testid="flame-pid-options">
        {props.processes.map((process) => (
          <option key={`${process.node}/${process.pid}`} value={process.pid}>
            {[process.processName, process.pod, process.node].filter((part) => part !== "").join(" · ")}
          </option>
        ))}
      </datalist>
      {pidValid ? null : (
        <span id="flame-pid-error" className="flame-scope__error">
          A process id is a whole number from 1 to 4294967295.
        </span>
      )}
      <label>
        <span>Compare with</span>
        <select
          value={diff}
          onChange={(event) => props.onView({ diff: event.target.value as DiffBaseline })}
          data-testid="flame-diff"
        >
          {DIFF_BASELINES.map((kind) => (
            <option key={kind} value={kind}>
              {BASELINE_LABELS[kind]}
            </option>
          ))}
        </select>
      </label>
      {diff === "custom" ? (
        <>
          <label>
            <span>Baseline from</span>
            <input
              type="datetime-local"
              value={toLocalInput(props.baseFrom)}
              onChange={(event) => props.onView({ baseFrom: fromLocalInput(event.target.value) }, true)}
              data-testid="flame-base-from"
            />
          </label>
          <label>
            <span>to</span>
            <input
              type="datetime-local"
              value={toLocalInput(props.baseTo)}
              onChange={(event) => props.onView({ baseTo: fromLocalInput(event.target.value) }, true)}
              data-testid="flame-base-to"
            />
          </label>
        </>
      ) : null}
      {props.baselineError ? (
        <span className="flame-scope__error" role="alert">
          Baseline: {props.baselineError}
        </span>
      ) : null}
      <p className="flame-scope__hint muted">
        Process ids are suggested from the service's recent requests, with their pod and node. A node is the
        agent that took the samples; the collector splits a node's graph by service itself, and the page
        splits every service (or a namespace's) under synthetic namespace and service frames.
      </p>
    </form>
  );
}

/** ISO instant → the local "YYYY-MM-DDTHH:MM" a datetime-local input shows. */
function toLocalInput(iso: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return "";
  const date = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return date.toISOString().slice(0, 16);
}

function fromLocalInput(value: string): string {
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? new Date(ms).toISOString() : "";
}
