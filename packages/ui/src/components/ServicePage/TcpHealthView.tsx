import { formatLatency } from "../../format/formatLatency";
import type { TcpHealthView as TcpHealthData } from "./useTcpHealth";

/** The service's processes' TCP figures over the range, and the connections that had trouble. */
export function TcpHealthView({ view }: { view: TcpHealthData }) {
  const { health, processes, truncated } = view;
  const figures: [string, string, string][] = [
    ["retransmits", "Retransmits", String(health.retransmits)],
    ["resets", "Resets sent / received", `${health.resetsSent} / ${health.resetsReceived}`],
    ["failed", "Failed connects", String(health.failedConnects)],
    ["rtt", "RTT mean / max", rttText(health.meanRttMs, health.maxRttMs)],
    ["connections", "Connections", String(health.connections)],
  ];
  return (
    <div data-testid="tcp-health">
      <dl className="svc-figures">
        {figures.map(([key, label, value]) => (
          <div key={key} className="svc-figure" data-figure={key}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <p className="muted svc-note">
        From {health.intervals} connection intervals of {processes.join(", ")}
        {truncated ? " (the newest rows only: the range has more than the API returns in one page)" : ""}.
      </p>
      {health.worst.length > 0 && (
        <table className="svc-table">
          <caption className="svc-caption">Connections with retransmits or resets</caption>
          <thead>
            <tr>
              <th scope="col">Remote</th>
              <th scope="col" className="svc-num">
                Retransmits
              </th>
              <th scope="col" className="svc-num">
                Resets
              </th>
            </tr>
          </thead>
          <tbody>
            {health.worst.map((connection) => (
              <tr key={connection.connectionId}>
                <td className="mono">{connection.remote}</td>
                <td className="svc-num">{connection.retransmits}</td>
                <td className="svc-num">{connection.resets}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function rttText(mean: number | undefined, max: number | undefined): string {
  if (mean === undefined || max === undefined) return "not measured";
  return `${formatLatency(mean)} / ${formatLatency(max)}`;
}
