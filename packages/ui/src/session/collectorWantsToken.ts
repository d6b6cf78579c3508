// Whether the collector refuses a request with no token: asked at most every
// 30 s (the answer changes only when the collector is reconfigured), so a page
// load costs no extra round trip.
import { fetchSelf } from "./collectorSelf";

const TTL_MS = 30_000;
let cached: { at: number; wants: boolean } | undefined;

export async function collectorWantsToken(env: Record<string, string | undefined>): Promise<boolean> {
  const now = Date.now();
  if (cached !== undefined && now - cached.at < TTL_MS) return cached.wants;
  const self = await fetchSelf(undefined, env);
  // Unreachable is not "wants a token": the page loads and shows the API error.
  const wants = !self.ok && self.status === 401;
  cached = { at: now, wants };
  return wants;
}
