import Link from "next/link";
import { formatValue } from "../../charts/ticks";
import type { PeerRow } from "./peers";

interface PeersTableProps {
  rows: PeerRow[];
  /** "Callers" or "Calls to": the caption and the test id's direction. */
  direction: "upstream" | "downstream";
  hrefOf: (name: string) => string;
}

/** One side of the service's neighbours, each with that edge's RED; a peer links to its own page. */
export function PeersTable({ rows, direction, hrefOf }: PeersTableProps) {
  return (
    <table className="svc-table" data-testid={`${direction}-table`}>
      <caption className="visually-hidden">
        {direction === "upstream" ? "Services that call this one" : "What this service calls"}
      </caption>
      <thead>
        <tr>
          <th scope="col">{direction === "upstream" ? "Caller" : "Callee"}</th>
          <th scope="col" className="svc-num">
            Rate
          </th>
          <th scope="col" className="svc-num">
            Errors
          </th>
          <th scope="col" className="svc-num">
            p50
          </th>
          <th scope="col" className="svc-num">
            p99
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.peer} data-testid="peer-row" data-peer={row.peer}>
            <td>
              <Link href={hrefOf(row.peer)}>{row.peer}</Link>{" "}
              <span className="svc-proto">{row.protocols.join(", ")}</span>
            </td>
            <td className="svc-num">{formatValue(row.ratePerSecond, "rate")}</td>
            <td className="svc-num">
              {formatValue(row.errorRatio ?? null, "ratio")}
              <span className="muted"> ({row.errorCount})</span>
            </td>
            <td className="svc-num">{formatValue(row.p50Ms, "ms")}</td>
            <td className="svc-num">{formatValue(row.p99Ms, "ms")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
