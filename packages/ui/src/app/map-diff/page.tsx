import { Suspense } from "react";
import { MapDiff } from "../../components/ServiceMap/MapDiff/MapDiff";

export const metadata = { title: "Map diff · Periscope" };

export default function MapDiffPage() {
  return (
    <Suspense fallback={<p className="dashboard">Loading map diff…</p>}>
      <MapDiff />
    </Suspense>
  );
}
