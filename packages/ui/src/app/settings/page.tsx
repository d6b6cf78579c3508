import { SessionPanel } from "../../components/Settings/SessionPanel";
import { TokenManager } from "../../components/Settings/TokenManager";

export const metadata = { title: "Settings · Periscope" };

export default function SettingsPage() {
  return (
    <main className="settings">
      <h1>Settings</h1>
      <SessionPanel />
      <TokenManager />
    </main>
  );
}
