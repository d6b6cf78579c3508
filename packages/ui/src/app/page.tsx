import { Dashboard } from "../components/Dashboard/Dashboard";

export default function HomePage() {
  return <Dashboard />;
}
