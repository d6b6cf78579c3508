"use client";

import Link from "next/link";
import { useMemo } from "react";
import { formatValue } from "../../charts/ticks";
import { useFrame } from "../../frame/useFrame";
import { EndpointsTable } from "./EndpointsTable";
import { Panel } from "./Panel";
import { PeersTable } from "./PeersTable";
import {
  type EndpointSummary,
  parseEndpoints,
  parseMapEdges,
  parseRed,
  type RedSeries,
} from "./parseServiceApi";
import { type PeerRow, peersOf } from "./peers";

type Peers = { upstream: PeerRow[]; downstream: PeerRow[] };

import { RedCharts } from "./RedCharts";
import { redTotals } from "./redCharts";
import { ServiceFlame } from "./ServiceFlame";
import {
  endpointsUrl,
  flamePath,
  mapUrl,
  rangeOfUrl,
  redUrl,
  requestsPath,
  servicePagePath,
} from "./serviceApiUrls";
import { TcpHealthView } from "./TcpHealthView";
import { type Resource, useApiResource } from "./useApiResource";
import { useTcpHealth } from "./useTcpHealth";
import "./ServicePage.css";

/**
 * One service over the frame's range: RED charts, endpoints, callers and callees,
 * TCP health and a way into its flame graph. Each panel loads, fails and empties
 * on its own, so one slow query does not hold up the rest.
 */
export function ServicePage({ name }: { name: string }) {
  const frame = useFrame();
  const range = { from: frame.from, to: frame.to };
  const fromMs = frame.from.getTime();
  const toMs = frame.to.getTime();
  const red = useApiResource(redUrl(range, name), parseRed);
  const endpoints = useApiResource(endpointsUrl(range, name), parseEndpoints);
  const edges = useApiResource(mapUrl(range), parseMapEdges);
  const tcp = useTcpHealth(name, range);
  const peers = useMemo<Resource<Peers>>(
    () =>
      edges.status === "ready"
        ? { ...edges, data: peersOf(name, edges.data, rangeOfUrl(edges.url) ?? { fromMs, toMs }) }
        : edges,
    [edges, name, fromMs, toMs],
  );
  const hrefOf = (peer: string) => frame.hrefWithFrame(servicePagePath(peer));

  return (
    <main className="svc-page" data-testid="service-page" data-service={name}>
      <nav aria-label="Breadcrumb" className="svc-crumbs">
        <Link href={frame.hrefWithFrame("/services")}>Services</Link> <span aria-hidden="true">/</span>
      </nav>
      <header className="svc-page__head">
        <h1 className="svc-title">{name}</h1>
        <div className="svc-links">
          <Link href={frame.hrefWithFrame(requestsPath(name))}>Requests</Link>
          <Link href={frame.hrefWithFrame(flamePath(name))}>Flame graph</Link>
        </div>
      </header>
      <Panel
        id="service-red"
        title="Rate, errors and latency"
        resource={red}
        isEmpty={(series: RedSeries) => series.points.every((point) => point.requests === 0)}
        emptyText="No requests to or from this service in this range."
      >
        {(series) => (
          <>
            <RedTotals
              series={series}
              range={(red.status === "ready" && rangeOfUrl(red.url)) || { fromMs, toMs }}
            />
            <RedCharts red={series} fromMs={fromMs} toMs={toMs} onBrush={(span) => frame.zoomToBrush(span)} />
          </>
        )}
      </Panel>
      <Panel
        id="service-endpoints"
        title="Endpoints"
        resource={endpoints}
        isEmpty={(list: EndpointSummary[]) => list.length === 0}
        emptyText="No endpoint of this service was called in this range."
      >
        {(list) => <EndpointsTable endpoints={list} />}
      </Panel>
      <div className="svc-columns">
        <Panel
          id="service-upstream"
          title="Upstream (callers)"
          resource={peers}
          isEmpty={(both: Peers) => both.upstream.length === 0}
          emptyText="Nothing called this service in this range."
        >
          {(both) => <PeersTable rows={both.upstream} direction="upstream" hrefOf={hrefOf} />}
        </Panel>
        <Panel
          id="service-downstream"
          title="Downstream (calls to)"
          resource={peers}
          isEmpty={(both: Peers) => both.downstream.length === 0}
          emptyText="This service called nothing in this range."
        >
          {(both) => <PeersTable rows={both.downstream} direction="downstream" hrefOf={hrefOf} />}
        </Panel>
      </div>
      <Panel
        id="service-tcp"
        title="TCP health"
        resource={tcp}
        isEmpty={(view) => view === undefined}
        emptyText="No requests of this service in this range name a local process, so there is no TCP data to show."
      >
        {(view) => (view ? <TcpHealthView view={view} /> : null)}
      </Panel>
      <ServiceFlame name={name} range={range} flameHref={frame.hrefWithFrame(flamePath(name))} />
    </main>
  );
}

function RedTotals({ series, range }: { series: RedSeries; range: { fromMs: number; toMs: number } }) {
  const totals = redTotals(series, range);
  const figures: [string, string, string][] = [
    ["rate", "Rate", formatValue(totals.ratePerSecond, "rate")],
    ["requests", "Requests", String(totals.requests)],
    ["errors", "Errors", `${totals.errors} (${formatValue(totals.errorRatio ?? null, "ratio")})`],
    ["p99", "Highest bucket p99", formatValue(totals.worstP99Ms ?? null, "ms")],
  ];
  return (
    <dl className="svc-figures" data-testid="service-totals" data-from={new Date(range.fromMs).toISOString()}>
      {figures.map(([key, label, value]) => (
        <div key={key} className="svc-figure" data-figure={key}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
      <div className="svc-figure">
        <dt>Seen from</dt>
        <dd>{series.observedFrom === "server" ? "the service itself" : "its callers"}</dd>
      </div>
    </dl>
  );
}
