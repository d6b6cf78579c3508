"use client";

import { Suspense } from "react";
import { RequestTable } from "../RequestTable/RequestTable";
import { useRecentRequests } from "../RequestTable/useRecentRequests";
import { ServiceMap } from "../ServiceMap/ServiceMap";
import "./Dashboard.css";

/** The landing page: the service map over the frame's range and the newest requests. */
export function Dashboard() {
  const requests = useRecentRequests();
  return (
    <main className="dashboard">
      {/* useFrame reads the URL (useSearchParams), which Next requires under Suspense. */}
      <Suspense fallback={<p className="dashboard__loading">Loading service map…</p>}>
        <ServiceMap />
      </Suspense>
      <RequestTable requests={requests.data} unreachable={requests.error !== undefined} />
    </main>
  );
}
