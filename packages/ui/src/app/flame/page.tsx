import type { Metadata } from "next";
import { Suspense } from "react";
import { FlamePage } from "../../components/FlameGraph/FlamePage";

export const metadata: Metadata = { title: "Profiles · Periscope" };

// Suspense: the page reads the URL (useSearchParams), which Next requires to sit under a boundary.
export default function FlameRoute() {
  return (
    <Suspense fallback={<p className="muted">Loading profiles…</p>}>
      <FlamePage />
    </Suspense>
  );
}
