"use client";

import { useRouter } from "next/navigation";
import "./Settings.css";
import { useSession } from "./useSession";

export function SessionPanel() {
  const router = useRouter();
  const [load] = useSession();

  async function signOut() {
    await fetch("/auth/session", { method: "DELETE" });
    router.replace("/sign-in");
  }

  return (
    <section className="settings__card" aria-labelledby="settings-session">
      <h2 id="settings-session">Your session</h2>
      {load.state === "loading" && <p className="settings__muted">Loading…</p>}
      {load.state === "error" && (
        <p className="settings__error" role="alert">
          Could not ask the collector who you are: {load.message}
        </p>
      )}
      {load.state === "ready" && (
        <>
          <p data-testid="session-identity">
            {load.session.authenticated ? (
              <>
                Acting as <strong>{load.session.name}</strong> with the <strong>{load.session.role}</strong>{" "}
                role
                {load.session.signedIn ? " (signed in with your own token)." : " (the UI's own token)."}
              </>
            ) : (
              "The collector runs without authentication: everyone may do everything."
            )}
          </p>
          {load.session.signedIn && (
            <button type="button" className="settings__button" onClick={signOut}>
              Sign out
            </button>
          )}
          {!load.session.signedIn && load.session.authenticated && (
            <a className="settings__button" href="/sign-in?next=/settings">
              Sign in with your own token
            </a>
          )}
        </>
      )}
    </section>
  );
}
