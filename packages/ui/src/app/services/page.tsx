import { Suspense } from "react";
import { ServicesList } from "../../components/ServicePage/ServicesList";

export const metadata = { title: "Services · Periscope" };

// Suspense: the list reads the frame from the URL (useSearchParams).
export default function ServicesPage() {
  return (
    <Suspense fallback={<p role="status">Loading…</p>}>
      <ServicesList />
    </Suspense>
  );
}
