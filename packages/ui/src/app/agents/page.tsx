import type { Metadata } from "next";
import { AgentsPage } from "../../components/Agents/AgentsPage";

export const metadata: Metadata = { title: "Agents · Periscope" };

export default function Agents() {
  return <AgentsPage />;
}
