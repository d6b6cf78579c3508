"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { type FormEvent, useRef, useState } from "react";
import { captureView } from "../../links/sharedView";
import "./ShareButton.css";

type Outcome =
  | { state: "idle" }
  | { state: "saving" }
  | { state: "error"; message: string }
  | { state: "saved"; url: string };

/**
 * Share: captures this page and its URL state with absolute times, a title and
 * notes, optionally a frozen copy of the data (POST /api/v1/links), and hands
 * back the incident link. Needs the editor role; a viewer sees the API's 403.
 */
export function ShareButton() {
  const pathname = usePathname();
  const params = useSearchParams();
  const dialog = useRef<HTMLDialogElement>(null);
  const [title, setTitle] = useState("");
  const [notes, setNotes] = useState("");
  const [freeze, setFreeze] = useState(true);
  const [outcome, setOutcome] = useState<Outcome>({ state: "idle" });

  function open() {
    setOutcome({ state: "idle" });
    dialog.current?.showModal();
  }

  async function share(event: FormEvent) {
    event.preventDefault();
    setOutcome({ state: "saving" });
    const capture = captureView(pathname, new URLSearchParams(params.toString()), Date.now());
    try {
      const response = await fetch("/api/v1/links", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          title: title.trim(),
          notes: notes.trim(),
          from: capture.from,
          to: capture.to,
          view: capture.view,
          ...(freeze ? { freeze: capture.freeze } : {}),
        }),
      });
      const body = (await response.json().catch(() => undefined)) as
        | { id?: string; error?: { message?: string } }
        | undefined;
      if (!response.ok || body?.id === undefined) {
        setOutcome({ state: "error", message: body?.error?.message ?? `HTTP ${response.status}` });
        return;
      }
      setOutcome({ state: "saved", url: new URL(`/links/${body.id}`, window.location.origin).toString() });
    } catch (error) {
      setOutcome({
        state: "error",
        message: `network error: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }

  return (
    <>
      <button type="button" className="share__open" onClick={open} data-testid="share-open">
        Share
      </button>
      <dialog ref={dialog} className="share" aria-labelledby="share-title">
        <form onSubmit={share} className="share__form">
          <h2 id="share-title">Share this view</h2>
          <p className="share__hint">
            The link keeps this page, its filters and the time range as absolute times, so it shows the same
            minutes later.
          </p>
          <label htmlFor="share-link-title">Title</label>
          <input
            id="share-link-title"
            value={title}
            maxLength={200}
            onChange={(event) => setTitle(event.target.value)}
            placeholder="checkout 502s after the deploy"
          />
          <label htmlFor="share-link-notes">Notes</label>
          <textarea
            id="share-link-notes"
            value={notes}
            maxLength={10_000}
            rows={4}
            onChange={(event) => setNotes(event.target.value)}
          />
          <label className="share__check">
            <input type="checkbox" checked={freeze} onChange={(event) => setFreeze(event.target.checked)} />
            Freeze the data (a copy of the requests and the map, kept after retention removes them)
          </label>
          {outcome.state === "error" && (
            <p className="share__error" role="alert">
              Could not share: {outcome.message}
            </p>
          )}
          {outcome.state === "saved" && (
            <p className="share__saved" role="status">
              Link:{" "}
              <a href={outcome.url} data-testid="share-link">
                {outcome.url}
              </a>
            </p>
          )}
          <div className="share__actions">
            <button type="button" onClick={() => dialog.current?.close()}>
              Close
            </button>
            <button type="submit" className="share__primary" disabled={outcome.state === "saving"}>
              {outcome.state === "saving" ? "Sharing…" : "Create link"}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
