"use client";

import { useEffect, useRef, useState } from "react";
import type { Agent } from "../../api/types";
import { usePolledApi } from "../../polling/usePolledApi";
import { type AgentSnapshot, type CounterRates, counterRates, parseAgents } from "./agentsModel";

/** Rates span about this long: two polls 2 s apart are too noisy to read. */
const RATE_SPAN_MS = 10_000;
const POLL_MS = 2_000;

const agentsUrl = () => "/api/v1/agents";

export interface AgentsState {
  agents: Agent[] | undefined;
  rates: Map<string, CounterRates>;
  error: string | undefined;
  updatedAt: number | undefined;
}

/** The agents list, polled, with counter rates over the last ~10 s. */
export function useAgents(): AgentsState {
  const polled = usePolledApi(agentsUrl, parseAgents, POLL_MS);
  const history = useRef<AgentSnapshot[]>([]);
  const [rates, setRates] = useState<Map<string, CounterRates>>(new Map());

  useEffect(() => {
    if (polled.data === undefined || polled.updatedAt === undefined) return;
    const current = { at: polled.updatedAt, agents: polled.data };
    const kept = history.current.filter((snapshot) => snapshot.at >= current.at - RATE_SPAN_MS);
    const oldest = kept[0];
    if (oldest !== undefined) setRates(counterRates(oldest, current));
    history.current = [...kept, current];
  }, [polled.data, polled.updatedAt]);

  return { agents: polled.data, rates, error: polled.error, updatedAt: polled.updatedAt };
}
