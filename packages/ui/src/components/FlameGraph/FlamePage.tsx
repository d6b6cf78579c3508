"use client";

// The Profiles page: pick a scope (namespace, service, process) and optionally
// a baseline range to diff against; the frame (time range, namespace, service)
// and this view's state (flameParams.ts) live in the URL.
import { useCallback, useMemo } from "react";
import { baselineRange } from "../../flamegraph/baselineRange";
import { diffFlameTrees } from "../../flamegraph/diff";
import {
  FLAME_DEFAULTS,
  FLAME_SCHEMA,
  type FlameParams,
  focusToPath,
  pathToFocus,
} from "../../flamegraph/flameParams";
import {
  parseAgentOptions,
  parseNames,
  parseServiceOptions,
  planFlameRequests,
  processOptions,
} from "../../flamegraph/flameRequests";
import { describeRange } from "../../frame/timeRange";
import { useFrame } from "../../frame/useFrame";
import { readParams, toQueryString, writeParams } from "../../frame/viewParams";
import { FlameGraph, type FlameViewState } from "./FlameGraph";
import { FlameScopePicker } from "./FlameScopePicker";
import { useApiValue } from "./useApiValue";
import { useFlameGraphs } from "./useFlameGraphs";
import "./FlamePage.css";

export function FlamePage() {
  const frame = useFrame();
  const params = useMemo(() => readParams(frame.params, FLAME_SCHEMA, FLAME_DEFAULTS), [frame.params]);
  const current = useMemo(
    () => ({ fromMs: frame.from.getTime(), toMs: frame.to.getTime() }),
    [frame.from, frame.to],
  );
  const rangeQuery = new URLSearchParams({ from: frame.from.toISOString(), to: frame.to.toISOString() });

  const namespaces = useApiValue(`/api/v1/names?kind=namespace&limit=200&${rangeQuery}`, parseNames);
  const servicesQuery = new URLSearchParams(rangeQuery);
  if (frame.state.namespace) servicesQuery.set("namespace", frame.state.namespace);
  const services = useApiValue(`/api/v1/services?${servicesQuery}`, parseServiceOptions);

  // Pid suggestions: the processes that served or called the service in this range.
  const requestsQuery = new URLSearchParams(rangeQuery);
  if (frame.state.service) requestsQuery.set("service", frame.state.service);
  requestsQuery.set("limit", "200");
  const service = frame.state.service;
  const parseProcesses = useCallback((body: unknown) => processOptions(body, service ?? ""), [service]);
  const processes = useApiValue(service ? `/api/v1/requests?${requestsQuery}` : undefined, parseProcesses);

  const agents = useApiValue("/api/v1/agents", parseAgentOptions);

  const selection = {
    service: frame.state.service,
    pid: params.pid,
    namespace: frame.state.namespace,
    node: params.node || undefined,
    split: params.split,
  };
  const plan = planFlameRequests(selection, services.value, current);
  const baseline =
    params.diff === "off"
      ? undefined
      : baselineRange(params.diff, current, { from: params.baseFrom, to: params.baseTo });
  const baselinePlan =
    baseline?.ok === true ? planFlameRequests(selection, services.value, baseline.range) : undefined;

  const comparison = useFlameGraphs(plan?.requests);
  const base = useFlameGraphs(baseline?.ok ? baselinePlan?.requests : []);
  const diff = useMemo(
    () =>
      params.diff !== "off" && base.tree && comparison.tree
        ? diffFlameTrees(base.tree, comparison.tree)
        : undefined,
    [params.diff, base.tree, comparison.tree],
  );

  const setView = writeViewParams;
  const view: FlameViewState = {
    orientation: params.view,
    search: params.q,
    focusPath: focusToPath(params.focus),
    sandwich: params.sandwich,
  };
  const onViewChange = (patch: Partial<FlameViewState>, typing?: boolean) =>
    setView(
      {
        ...(patch.orientation !== undefined ? { view: patch.orientation } : {}),
        ...(patch.search !== undefined ? { q: patch.search } : {}),
        ...(patch.focusPath !== undefined ? { focus: pathToFocus(patch.focusPath) } : {}),
        ...(patch.sandwich !== undefined ? { sandwich: patch.sandwich } : {}),
      },
      typing,
    );

  const errors = [comparison.error, base.error, services.error, namespaces.error].filter(
    (message): message is string => message !== undefined,
  );
  const tree = comparison.tree;
  const empty = tree !== undefined && tree.total <= 0;
  const baselineEmpty = params.diff !== "off" && base.tree !== undefined && base.tree.total <= 0;

  return (
    <main className="flame-page" id="main">
      <div className="flame-page__heading">
        <h1>Profiles</h1>
        <span className="muted">
          CPU samples · {describeRange(frame.state.range)}
          {comparison.loading && tree ? " · refreshing…" : ""}
        </span>
      </div>
      <FlameScopePicker
        namespaces={namespaces.value ?? []}
        services={services.value ?? []}
        processes={service ? (processes.value ?? []) : []}
        agents={agents.value ?? []}
        node={params.node}
        split={params.split}
        namespace={frame.state.namespace}
        service={frame.state.service}
        pid={params.pid}
        diff={params.diff}
        baseFrom={params.baseFrom}
        baseTo={params.baseTo}
        baselineError={baseline?.ok === false ? baseline.error : undefined}
        onNamespace={(namespace) => frame.setNamespace(namespace)}
        onService={(service) => frame.setService(service)}
        onView={setView}
      />
      {plan && plan.omitted > 0 ? (
        <p className="flame-page__note" role="note">
          Showing the {plan.requests.length} busiest services; {plan.omitted} more are left out. Pick a
          service or namespace to see the rest.
        </p>
      ) : null}
      {errors.length > 0 && tree !== undefined ? (
        <div className="flame-page__error" role="alert" data-testid="flame-error">
          <strong>Some of this page could not be refreshed; showing the last data received.</strong>
          <ul>
            {[...new Set(errors)].map((message) => (
              <li key={message} className="mono">
                {message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <section className="flame-page__panel" aria-label="Flame graph" aria-busy={comparison.loading}>
        {tree === undefined && errors.length > 0 ? (
          <div className="flame-page__state" role="alert" data-testid="flame-error">
            <strong>Could not load profiles.</strong>
            {[...new Set(errors)].map((message) => (
              <span key={message} className="mono">
                {message}
              </span>
            ))}
            <span>Check that the collector is running and that PERISCOPE_API_URL points at it.</span>
          </div>
        ) : tree === undefined ? (
          <p className="flame-page__state" role="status">
            Loading profiles…
          </p>
        ) : empty ? (
          <div className="flame-page__state" role="status" data-testid="flame-empty">
            <strong>No profiles in this range — is the profiler on?</strong>
            <span>
              {selection.service !== undefined || params.pid > 0
                ? `${selection.service ?? `pid ${params.pid}`} has no CPU samples`
                : "None of the services has CPU samples"}{" "}
              in {describeRange(frame.state.range)}. Agents send profiles only when profiling is enabled in
              their collection config; try a longer range or another service.
            </span>
          </div>
        ) : params.diff !== "off" && baselineEmpty ? (
          <div className="flame-page__state" role="status" data-testid="flame-baseline-empty">
            <strong>The baseline range has no profiles to compare with.</strong>
            <span>Pick an earlier range or switch the comparison off.</span>
          </div>
        ) : params.diff !== "off" && diff === undefined ? (
          <p className="flame-page__state" role="status">
            Loading the baseline…
          </p>
        ) : (
          <>
            {comparison.truncated || base.truncated ? (
              <p className="flame-page__note" role="note">
                The collector folded its smallest frames into their callers to stay within its node limit.
              </p>
            ) : null}
            <FlameGraph
              graph={diff ? { kind: "diff", diff } : { kind: "single", tree }}
              view={view}
              onChange={onViewChange}
            />
          </>
        )}
      </section>
    </main>
  );
}

/**
 * Writes the view's own keys with the browser's history API, which Next's router
 * follows (useSearchParams sees the change) without a round trip to the server.
 * Measured in e2e/flame.spec.ts: through router.replace, clearing the search box
 * and clicking a frame at once let the older navigation land last and drop the
 * zoom. Reading window.location (not a render's copy) also keeps quick
 * successive changes from overwriting each other.
 */
function writeViewParams(patch: Partial<FlameParams>, typing = false): void {
  const next = writeParams(new URLSearchParams(window.location.search), FLAME_SCHEMA, patch, FLAME_DEFAULTS);
  const url = `${window.location.pathname}${toQueryString(next)}`;
  if (typing) window.history.replaceState(null, "", url);
  else window.history.pushState(null, "", url);
}
