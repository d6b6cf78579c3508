"use client";

import { useMemo } from "react";
import { parseServiceMap } from "../../api/parseServiceMap";
import { serviceMapUrl } from "../../api/queries";
import type { ServiceMap } from "../../api/types";
import { type PolledApiState, usePolledApi } from "../../polling/usePolledApi";
import type { GraphElement } from "../../serviceMap/elements";
import { shapeServiceMap } from "../../serviceMap/shapeServiceMap";

export interface ServiceMapSnapshot extends PolledApiState<ServiceMap> {
  /** Cytoscape descriptors of the latest map; undefined until the first response. */
  elements: GraphElement[] | undefined;
}

/** The service map over the last 15 minutes, refreshed every poll interval. */
export function useServiceMapSnapshot(): ServiceMapSnapshot {
  const state = usePolledApi(serviceMapUrl, parseServiceMap);
  const elements = useMemo(() => (state.data ? shapeServiceMap(state.data) : undefined), [state.data]);
  return { ...state, elements };
}
