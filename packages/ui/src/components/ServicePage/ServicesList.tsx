"use client";

import Link from "next/link";
import { useMemo, useState } from "react";
import { formatValue } from "../../charts/ticks";
import { useFrame } from "../../frame/useFrame";
import { Panel } from "./Panel";
import { type EndpointSummary, parseEndpoints, parseServices, type ServiceSummary } from "./parseServiceApi";
import { SortableHeader } from "./SortableHeader";
import { allEndpointsUrl, rangeOfUrl, servicePagePath, servicesUrl } from "./serviceApiUrls";
import {
  endpointsByService,
  SERVICE_TEXT_KEYS,
  type ServiceSortKey,
  serviceRows,
  serviceSortValue,
} from "./servicesTable";
import { nextSort, type SortState, sortRows } from "./sortRows";
import { useApiResource } from "./useApiResource";
import "./ServicePage.css";

/** Every service the frame's range saw, with its RED, sortable; each links to its page. */
export function ServicesList() {
  const frame = useFrame();
  const range = { from: frame.from, to: frame.to };
  const services = useApiResource(servicesUrl(range, frame.state.namespace), parseServices);
  const endpoints = useApiResource(allEndpointsUrl(range), parseEndpoints);
  const [sort, setSort] = useState<SortState<ServiceSortKey>>({ key: "rate", direction: "desc" });
  const onSort = (key: ServiceSortKey) => setSort((current) => nextSort(current, key, SERVICE_TEXT_KEYS));
  const fromMs = frame.from.getTime();
  const toMs = frame.to.getTime();

  return (
    <main className="svc-page">
      <header className="svc-page__head">
        <h1>Services</h1>
        <p className="muted">
          Rate and errors are exact counts from the metric series; p99 is the slowest endpoint's.
        </p>
      </header>
      <Panel
        id="services-table"
        title="All services"
        resource={services}
        isEmpty={(list: ServiceSummary[]) => list.length === 0}
        emptyText="No service sent or served a request in this range."
      >
        {(list) => (
          <ServicesTable
            list={matching(list, frame.state.service)}
            endpoints={endpoints.status === "ready" ? endpoints.data : []}
            range={(services.status === "ready" && rangeOfUrl(services.url)) || { fromMs, toMs }}
            sort={sort}
            onSort={onSort}
            hrefOf={(name) => frame.hrefWithFrame(servicePagePath(name))}
          />
        )}
      </Panel>
    </main>
  );
}

/** The header's service filter narrows the list to names containing it (any case). */
function matching(list: ServiceSummary[], filter: string | undefined): ServiceSummary[] {
  if (filter === undefined) return list;
  const needle = filter.toLowerCase();
  return list.filter((service) => service.name.toLowerCase().includes(needle));
}

interface ServicesTableProps {
  list: ServiceSummary[];
  endpoints: EndpointSummary[];
  range: { fromMs: number; toMs: number };
  sort: SortState<ServiceSortKey>;
  onSort: (key: ServiceSortKey) => void;
  hrefOf: (name: string) => string;
}

function ServicesTable({ list, endpoints, range, sort, onSort, hrefOf }: ServicesTableProps) {
  const rows = useMemo(
    () => sortRows(serviceRows(list, endpointsByService(endpoints), range), sort, serviceSortValue),
    [list, endpoints, range, sort],
  );
  const header = { sort, onSort };
  if (rows.length === 0) {
    return (
      <p className="svc-panel__state" data-state="empty">
        No service name matches the service filter.
      </p>
    );
  }
  return (
    <table className="svc-table" data-testid="services-list">
      <caption className="visually-hidden">
        Services and their rate, error ratio and p99 over the range
      </caption>
      <thead>
        <tr>
          <SortableHeader label="Service" column="name" {...header} />
          <SortableHeader label="Namespace" column="namespace" {...header} />
          <SortableHeader label="Requests" column="requests" numeric {...header} />
          <SortableHeader label="Rate" column="rate" numeric {...header} />
          <SortableHeader label="Errors" column="errorRatio" numeric {...header} />
          <SortableHeader label="p99 (slowest endpoint)" column="p99" numeric {...header} />
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.name} data-testid="service-row" data-service={row.name}>
            <td>
              <Link href={hrefOf(row.name)}>{row.name}</Link>
            </td>
            <td>{row.namespace ?? <span className="muted">—</span>}</td>
            <td className="svc-num" data-column="requests">
              {row.requestCount}
            </td>
            <td className="svc-num" data-column="rate">
              {formatValue(row.ratePerSecond, "rate")}
            </td>
            <td className="svc-num" data-column="errors">
              {formatValue(row.errorRatio ?? null, "ratio")}
              <span className="muted"> ({row.errorCount})</span>
            </td>
            <td className="svc-num">{formatValue(row.worstEndpointP99Ms ?? null, "ms")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
