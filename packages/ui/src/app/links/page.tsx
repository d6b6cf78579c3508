import { LinkList } from "../../components/Links/LinkList";

export const metadata = { title: "Shared links · Periscope" };

export default function LinksPage() {
  return (
    <main className="links">
      <h1>Shared links</h1>
      <LinkList />
    </main>
  );
}
