"use client";

import { type FormEvent, useCallback, useEffect, useState } from "react";
import "./Settings.css";

interface TokenInfo {
  id: string;
  name: string;
  role: string;
  createdAt: string;
}

type Listing =
  | { state: "loading" }
  | { state: "error"; status: number; message: string }
  | { state: "ready"; tokens: TokenInfo[] };

async function errorOf(response: Response): Promise<string> {
  const body = (await response.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
  return body?.error?.message ?? `HTTP ${response.status}`;
}

/** API tokens: list, mint (the secret is shown once), revoke. Admins only; others see why not. */
export function TokenManager() {
  const [listing, setListing] = useState<Listing>({ state: "loading" });
  const [minted, setMinted] = useState<{ name: string; token: string } | undefined>();
  const [name, setName] = useState("");
  const [role, setRole] = useState("viewer");
  const [actionError, setActionError] = useState<string | undefined>();

  const reload = useCallback(async () => {
    const response = await fetch("/api/v1/tokens", { cache: "no-store" });
    if (!response.ok) {
      setListing({ state: "error", status: response.status, message: await errorOf(response) });
      return;
    }
    setListing({ state: "ready", tokens: ((await response.json()) as { tokens: TokenInfo[] }).tokens });
  }, []);

  useEffect(() => {
    reload().catch((error: unknown) => setListing({ state: "error", status: 0, message: String(error) }));
  }, [reload]);

  async function mint(event: FormEvent) {
    event.preventDefault();
    setActionError(undefined);
    const response = await fetch("/api/v1/tokens", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: name.trim(), role }),
    });
    if (!response.ok) {
      setActionError(await errorOf(response));
      return;
    }
    const created = (await response.json()) as { name: string; token: string };
    setMinted({ name: created.name, token: created.token });
    setName("");
    await reload();
  }

  async function revoke(token: TokenInfo) {
    setActionError(undefined);
    const response = await fetch(`/api/v1/tokens/${encodeURIComponent(token.id)}`, { method: "DELETE" });
    if (!response.ok) setActionError(await errorOf(response));
    await reload();
  }

  return (
    <section className="settings__card" aria-labelledby="settings-tokens">
      <h2 id="settings-tokens">API tokens</h2>
      {listing.state === "loading" && <p className="settings__muted">Loading…</p>}
      {listing.state === "error" && (
        <p className={listing.status === 403 ? "settings__muted" : "settings__error"} role="status">
          {listing.status === 403
            ? `Only admins manage tokens (${listing.message}).`
            : listing.status === 404
              ? "This collector runs without token management (auth is off)."
              : `Could not list tokens: ${listing.message}`}
        </p>
      )}
      {listing.state === "ready" && (
        <>
          <table className="settings__table">
            <caption className="settings__muted">
              Secrets are never shown again after they are created.
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {listing.tokens.map((token) => (
                <tr key={token.id} data-testid="token-row">
                  <td>{token.name}</td>
                  <td>{token.role}</td>
                  <td>{new Date(token.createdAt).toLocaleString()}</td>
                  <td>
                    <button type="button" className="settings__link-button" onClick={() => revoke(token)}>
                      Revoke<span className="visually-hidden"> {token.name}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <form className="settings__mint" onSubmit={mint}>
            <div className="settings__field">
              <label htmlFor="token-name">Name</label>
              <input
                id="token-name"
                value={name}
                onChange={(event) => setName(event.target.value)}
                required
                maxLength={100}
              />
            </div>
            <div className="settings__field">
              <label htmlFor="token-role">Role</label>
              <select id="token-role" value={role} onChange={(event) => setRole(event.target.value)}>
                <option value="viewer">viewer — reads</option>
                <option value="editor">editor — also shares links, changes agent config</option>
                <option value="admin">admin — also manages tokens</option>
              </select>
            </div>
            <button type="submit" className="settings__button" disabled={name.trim() === ""}>
              Create token
            </button>
          </form>
          {minted !== undefined && (
            <p className="settings__minted" role="status" data-testid="minted-token">
              Token for <strong>{minted.name}</strong> (copy it now; it is not shown again):{" "}
              <code>{minted.token}</code>
            </p>
          )}
        </>
      )}
      {actionError !== undefined && (
        <p className="settings__error" role="alert">
          {actionError}
        </p>
      )}
    </section>
  );
}
