"use client";

// One SSE connection per tab (GET /api/v1/live through the UI proxy) shared by the
// header's indicator and any page that wants to refresh on new data: Hubble's move
// from streaming to short polling brought lag and queued requests (hubble-ui #814).
import { usePathname } from "next/navigation";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useReducer, useRef } from "react";
import { INITIAL_LIVE_STATE, type LiveConnectionState, nextLiveState } from "./liveConnection";

export type LiveTopic = "requests" | "map";
type Listener = (data: unknown) => void;

type Subscribe = (topic: LiveTopic, listener: Listener) => () => void;

// Two contexts: the state changes on every event, the subscribe function never, so
// subscribers do not resubscribe on each event.
const LiveStateContext = createContext<LiveConnectionState>(INITIAL_LIVE_STATE);
const LiveSubscribeContext = createContext<Subscribe | undefined>(undefined);

export function LiveProvider({ children }: { children: ReactNode }) {
  const [state, dispatch] = useReducer(nextLiveState, INITIAL_LIVE_STATE);
  const listeners = useRef(new Map<LiveTopic, Set<Listener>>());
  // Before sign-in the stream would only be refused (401); open it once signed in.
  const streaming = usePathname() !== "/sign-in";

  useEffect(() => {
    if (!streaming) return;
    const source = new EventSource("/api/v1/live?topics=requests,map");
    const emit = (topic: LiveTopic, raw: string) => {
      let data: unknown;
      try {
        data = JSON.parse(raw);
      } catch {
        return;
      }
      for (const listener of listeners.current.get(topic) ?? []) listener(data);
      return data;
    };
    source.onopen = () => dispatch({ type: "open", at: Date.now() });
    source.addEventListener("hello", () => dispatch({ type: "hello", at: Date.now() }));
    source.addEventListener("requests", (event) => {
      const data = emit("requests", (event as MessageEvent<string>).data) as
        | { requests?: unknown[]; omitted?: number }
        | undefined;
      const count = (data?.requests?.length ?? 0) + (data?.omitted ?? 0);
      dispatch({ type: "requests", at: Date.now(), count });
    });
    source.addEventListener("map", (event) => {
      emit("map", (event as MessageEvent<string>).data);
      dispatch({ type: "map", at: Date.now() });
    });
    source.onerror = () =>
      dispatch({ type: "error", at: Date.now(), closed: source.readyState === EventSource.CLOSED });
    return () => source.close();
  }, [streaming]);

  const subscribe = useCallback<Subscribe>((topic, listener) => {
    const set = listeners.current.get(topic) ?? new Set();
    set.add(listener);
    listeners.current.set(topic, set);
    return () => {
      set.delete(listener);
    };
  }, []);
  return (
    <LiveSubscribeContext.Provider value={subscribe}>
      <LiveStateContext.Provider value={state}>{children}</LiveStateContext.Provider>
    </LiveSubscribeContext.Provider>
  );
}

/** The stream's state (for indicators). Outside a LiveProvider: always "connecting". */
export function useLiveConnection(): LiveConnectionState {
  return useContext(LiveStateContext);
}

/**
 * Calls `listener` with each event's data on `topic` (parsed JSON). Keep the listener
 * cheap or throttle it: a busy collector sends an event a second per topic.
 */
export function useLiveEvents(topic: LiveTopic, listener: Listener): void {
  const subscribe = useContext(LiveSubscribeContext);
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => subscribe?.(topic, (data) => latest.current(data)), [subscribe, topic]);
}
