"use client";

import { parseRequests } from "../../api/parseRequests";
import { RECENT_REQUEST_LIMIT, recentRequestsUrl } from "../../api/queries";
import type { RequestRecord } from "../../api/types";
import { type PolledApiState, usePolledApi } from "../../polling/usePolledApi";

const urlAt = () => recentRequestsUrl(RECENT_REQUEST_LIMIT);

/** The newest requests, refreshed every poll interval. */
export function useRecentRequests(): PolledApiState<RequestRecord[]> {
  return usePolledApi(urlAt, parseRequests);
}
