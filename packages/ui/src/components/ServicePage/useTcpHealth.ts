"use client";

import { useEffect, useState } from "react";
import { fetchApi } from "../../api/fetchApi";
import { parseConnections, parseRequestEnds } from "./parseServiceApi";
import { type ApiRange, CONNECTIONS_LIMIT, connectionsUrl, serviceRequestsUrl } from "./serviceApiUrls";
import { processesOf, type TcpHealth, tcpHealth } from "./tcpHealth";
import type { Resource } from "./useApiResource";

/** At most this many process names are asked for (a service is rarely more than one program). */
const MAX_PROCESSES = 3;

export interface TcpHealthView {
  health: TcpHealth;
  processes: string[];
  /** True when a process's intervals hit the API's row limit: the figures cover its newest rows only. */
  truncated: boolean;
}

/**
 * Two steps: the service's recent requests name its processes (comm and pid),
 * then the connections API gives those processes' TCP intervals. No requests
 * in the range means no process to ask about: the view is empty, not an error.
 */
export function useTcpHealth(service: string, range: ApiRange): Resource<TcpHealthView | undefined> {
  const [state, setState] = useState<Resource<TcpHealthView | undefined>>({ status: "loading" });
  const fromIso = range.from.toISOString();
  const toIso = range.to.toISOString();
  useEffect(() => {
    const controller = new AbortController();
    const apiRange = { from: new Date(fromIso), to: new Date(toIso) };
    const fail = (message: string) =>
      setState((previous) =>
        previous.status === "ready" ? { ...previous, error: message } : { status: "error", message },
      );
    (async () => {
      const requests = await fetchApi(
        serviceRequestsUrl(apiRange, service),
        parseRequestEnds,
        controller.signal,
      );
      if (!requests.ok) return fail(requests.message);
      const { names, pids } = processesOf(service, requests.value);
      if (names.length === 0) {
        setState({ status: "ready", data: undefined, url: "", refreshing: false, error: undefined });
        return;
      }
      const asked = names.slice(0, MAX_PROCESSES);
      const results = await Promise.all(
        asked.map((name) => fetchApi(connectionsUrl(apiRange, name), parseConnections, controller.signal)),
      );
      const failed = results.find((result) => !result.ok);
      if (failed && !failed.ok) return fail(failed.message);
      const rows = results.flatMap((result) => (result.ok ? result.value : []));
      const truncated = results.some((result) => result.ok && result.value.length >= CONNECTIONS_LIMIT);
      setState({
        status: "ready",
        data: { health: tcpHealth(rows, pids), processes: asked, truncated },
        url: "",
        refreshing: false,
        error: undefined,
      });
    })().catch(() => {
      // Aborted: a newer range took over.
    });
    return () => controller.abort();
  }, [service, fromIso, toIso]);
  return state;
}
