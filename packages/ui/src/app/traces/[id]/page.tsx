import { Suspense } from "react";
import { TraceView } from "../../../components/TraceView/TraceView";

export const metadata = { title: "Trace · Periscope" };

export default async function TracePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <TraceView traceId={id} />
    </Suspense>
  );
}
