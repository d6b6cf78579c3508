import { Suspense } from "react";
import { RequestExplorer } from "../../components/RequestExplorer/RequestExplorer";

export const metadata = { title: "Requests · Periscope" };

export default function RequestsPage() {
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <RequestExplorer />
    </Suspense>
  );
}
