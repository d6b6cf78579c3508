import { TraceLookup } from "../../components/TraceView/TraceLookup";
import "../../components/RequestExplorer/RequestExplorer.css";

export const metadata = { title: "Traces · Periscope" };

export default function TracesPage() {
  return <TraceLookup />;
}
