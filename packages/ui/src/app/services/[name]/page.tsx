import { Suspense } from "react";
import { ServicePage } from "../../../components/ServicePage/ServicePage";
import { serviceNameFromSegment } from "../../../components/ServicePage/serviceApiUrls";

interface Props {
  params: Promise<{ name: string }>;
}

export async function generateMetadata({ params }: Props) {
  return { title: `${serviceNameFromSegment((await params).name)} · Periscope` };
}

export default async function ServiceRoute({ params }: Props) {
  const name = serviceNameFromSegment((await params).name);
  // key: another service's page starts from loading, not from this one's data.
  return (
    <Suspense fallback={<p role="status">Loading…</p>}>
      <ServicePage key={name} name={name} />
    </Suspense>
  );
}
