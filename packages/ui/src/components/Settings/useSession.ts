"use client";

import { useCallback, useEffect, useState } from "react";

export interface SessionState {
  signedIn: boolean;
  mode: "required" | "off" | "auto";
  name: string | null;
  role: "viewer" | "editor" | "admin" | null;
  authenticated: boolean;
}

export type SessionLoad =
  | { state: "loading" }
  | { state: "error"; message: string }
  | { state: "ready"; session: SessionState };

/** Who this browser acts as (GET /auth/session), reloadable after a change. */
export function useSession(): [SessionLoad, () => void] {
  const [load, setLoad] = useState<SessionLoad>({ state: "loading" });
  const [generation, setGeneration] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: generation is the reload trigger
  useEffect(() => {
    const controller = new AbortController();
    fetch("/auth/session", { cache: "no-store", signal: controller.signal })
      .then(async (response) => {
        const body = (await response.json()) as SessionState & { error?: { message: string } };
        setLoad(
          response.ok
            ? { state: "ready", session: body }
            : { state: "error", message: body.error?.message ?? `HTTP ${response.status}` },
        );
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setLoad({ state: "error", message: String(error) });
      });
    return () => controller.abort();
  }, [generation]);
  return [load, useCallback(() => setGeneration((n) => n + 1), [])];
}
