import type { Agent } from "../../api/types";
import { ageText, type CounterRates, configStatus, lossRate, rateText, throughput } from "./agentsModel";
import { counterInfo } from "./dropCounters";

export interface AgentTableProps {
  agents: Agent[];
  rates: Map<string, CounterRates>;
  now: number;
}

const HEALTH_TEXT: Record<Agent["health"], string> = { ok: "OK", degraded: "Degraded", stale: "Stale" };

export function AgentTable({ agents, rates, now }: AgentTableProps) {
  return (
    <div className="agents-table-wrap">
      <table className="agents-table" data-testid="agents-table">
        <caption className="visually-hidden">Agents, their health, throughput, losses and config</caption>
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col">Health</th>
            <th scope="col">Version</th>
            <th scope="col">Kernel</th>
            <th scope="col">Last seen</th>
            <th scope="col">Events</th>
            <th scope="col">Records</th>
            <th scope="col">Losses</th>
            <th scope="col">Config (desired / applied)</th>
          </tr>
        </thead>
        {agents.map((agent) => (
          <AgentRows key={agent.agentId} agent={agent} rates={rates.get(agent.agentId)} now={now} />
        ))}
      </table>
    </div>
  );
}

function AgentRows({ agent, rates, now }: { agent: Agent; rates: CounterRates | undefined; now: number }) {
  const { events, records, recordsSent } = throughput(rates);
  const loss = lossRate(rates, counterInfo);
  const config = configStatus(agent.config);
  const notReported = "this agent does not report it (older version)";
  return (
    <tbody data-testid="agent-row" data-agent-id={agent.agentId}>
      <tr>
        <th scope="row">
          <span className="agents-table__host" data-column="host">
            {agent.hostname || agent.agentId}
          </span>
          {agent.hostname && agent.hostname !== agent.agentId ? (
            <span className="agents-table__id mono">{agent.agentId}</span>
          ) : null}
        </th>
        <td>
          <span className={`agents-badge agents-badge--${agent.health}`} data-column="health">
            {HEALTH_TEXT[agent.health]}
          </span>
        </td>
        <td className="mono" data-column="version">
          {agent.version || "—"}
        </td>
        <td className="mono" data-column="kernel">
          {agent.kernel || "—"}
        </td>
        <td data-column="last-seen" title={agent.lastSeen}>
          <time dateTime={agent.lastSeen}>{ageText(agent.lastSeen, now)}</time>
        </td>
        <td
          className="num"
          data-column="events"
          title={rates && events === undefined ? notReported : undefined}
        >
          {rates ? rateText(events) : "measuring…"}
        </td>
        <td
          className="num"
          data-column="records"
          title={rates && records === undefined ? notReported : undefined}
        >
          {rates ? rateText(records) : "measuring…"}
          {recordsSent !== undefined ? (
            <span className="agents-table__sub">{rateText(recordsSent)} sent</span>
          ) : null}
        </td>
        <td className="num" data-column="losses">
          {loss === undefined ? "measuring…" : `${rateText(loss.events)} · ${rateText(loss.bytes, "bytes")}`}
        </td>
        <td data-column="config">
          <span className="mono" data-testid="config-versions">
            v{agent.config.desiredVersion} / v{agent.config.appliedVersion}
          </span>{" "}
          <span className={`agents-config agents-config--${config.tone}`} data-testid="config-status">
            {config.text}
          </span>
        </td>
      </tr>
      <tr className="agents-table__details">
        <td colSpan={9}>
          <details>
            <summary>Every counter as a rate ({Object.keys(agent.drops).length})</summary>
            <CounterList drops={agent.drops} rates={rates} />
            {agent.captureProblems && agent.captureProblems.length > 0 ? (
              <ul className="agents-problems" aria-label="Capture running without">
                {agent.captureProblems.map((problem) => (
                  <li key={problem.feature}>
                    <strong>{problem.feature}</strong>: {problem.reason}
                  </li>
                ))}
              </ul>
            ) : null}
          </details>
        </td>
      </tr>
    </tbody>
  );
}

function CounterList({ drops, rates }: { drops: Record<string, string>; rates: CounterRates | undefined }) {
  const names = Object.keys(drops).sort(
    (a, b) => (rates?.[b] ?? 0) - (rates?.[a] ?? 0) || a.localeCompare(b),
  );
  return (
    <table className="agents-counters" data-testid="drop-counters">
      <thead>
        <tr>
          <th scope="col">Counter</th>
          <th scope="col">Rate</th>
          <th scope="col">Total since agent start</th>
        </tr>
      </thead>
      <tbody>
        {names.map((name) => {
          const info = counterInfo(name);
          return (
            <tr
              key={name}
              data-counter={name}
              className={info.loss ? undefined : "agents-counters--sampling"}
            >
              <td title={name}>{info.label}</td>
              <td className="num">{rateText(rates?.[name], info.unit)}</td>
              <td className="num mono">{Number(drops[name]).toLocaleString("en-US")}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
