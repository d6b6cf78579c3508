"use client";

import { useMemo, useState } from "react";
import { formatValue } from "../../charts/ticks";
import { endpointLabel } from "./endpointLabel";
import type { EndpointSummary } from "./parseServiceApi";
import { SortableHeader } from "./SortableHeader";
import { nextSort, type SortState, sortRows } from "./sortRows";

type EndpointSortKey = "endpoint" | "rate" | "errorRatio" | "p50" | "p99";

function endpointValue(row: EndpointSummary, key: EndpointSortKey): number | string | undefined {
  switch (key) {
    case "endpoint":
      return endpointLabel(row);
    case "rate":
      return row.requestsPerSecond;
    case "errorRatio":
      return row.requestCount > 0 ? row.errorRatio : undefined;
    case "p50":
      return row.p50Ms;
    case "p99":
      return row.p99Ms;
  }
}

/** The service's endpoints (operation + templated target) with their RED over the range. */
export function EndpointsTable({ endpoints }: { endpoints: EndpointSummary[] }) {
  const [sort, setSort] = useState<SortState<EndpointSortKey>>({ key: "rate", direction: "desc" });
  const rows = useMemo(() => sortRows(endpoints, sort, endpointValue), [endpoints, sort]);
  const header = { sort, onSort: (key: EndpointSortKey) => setSort((s) => nextSort(s, key, ["endpoint"])) };
  return (
    <table className="svc-table" data-testid="endpoints-table">
      <caption className="visually-hidden">Endpoints of this service</caption>
      <thead>
        <tr>
          <SortableHeader label="Endpoint" column="endpoint" {...header} />
          <SortableHeader label="Rate" column="rate" numeric {...header} />
          <SortableHeader label="Errors" column="errorRatio" numeric {...header} />
          <SortableHeader label="p50" column="p50" numeric {...header} />
          <SortableHeader label="p99" column="p99" numeric {...header} />
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={`${row.protocol} ${row.operation} ${row.target}`} data-testid="endpoint-row">
            <td>
              <span className="svc-proto">{row.protocol}</span>{" "}
              <span className="mono" data-column="endpoint">
                {endpointLabel(row)}
              </span>
            </td>
            <td className="svc-num">{formatValue(row.requestsPerSecond, "rate")}</td>
            <td className="svc-num">
              {formatValue(row.requestCount > 0 ? row.errorRatio : null, "ratio")}
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
