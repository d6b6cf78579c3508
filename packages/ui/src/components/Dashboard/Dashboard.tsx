"use client";

import { ApiErrorBanner } from "../ApiErrorBanner/ApiErrorBanner";
import { RequestTable } from "../RequestTable/RequestTable";
import { useRecentRequests } from "../RequestTable/useRecentRequests";
import { ServiceMap } from "../ServiceMap/ServiceMap";
import { useServiceMapSnapshot } from "../ServiceMap/useServiceMapSnapshot";
import "./Dashboard.css";

export function Dashboard() {
  const map = useServiceMapSnapshot();
  const requests = useRecentRequests();
  const queries = [map, requests];
  const errors = queries.flatMap((query) => (query.error ? [query.error] : []));

  return (
    <main className="dashboard">
      <ApiErrorBanner errors={errors} showingStaleData={queries.some((query) => query.data !== undefined)} />
      <ServiceMap elements={map.elements} unreachable={map.error !== undefined} />
      <RequestTable requests={requests.data} unreachable={requests.error !== undefined} />
    </main>
  );
}
