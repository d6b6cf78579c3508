import { LinkView } from "../../../components/Links/LinkView";

export const metadata = { title: "Incident link · Periscope" };

export default async function LinkPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <main className="links">
      <LinkView id={id} />
    </main>
  );
}
