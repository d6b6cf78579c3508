// The collector's HTTP API as an admin sees it: what the tests assert on.
export interface Endpoint {
  port: number;
  pid: number;
  processName: string;
}
export interface StoredRequest {
  side: "client" | "server";
  target: string;
  client: Endpoint;
  server: Endpoint;
  agentId: string;
}

export async function apiGet<T>(baseUrl: string, path: string, token: string): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Requests stored in the last ten minutes whose target contains text. */
export async function storedRequests(baseUrl: string, token: string, text: string): Promise<StoredRequest[]> {
  const range = `from=${Date.now() - 600_000}&to=${Date.now() + 60_000}`;
  const body = await apiGet<{ requests: StoredRequest[] }>(
    baseUrl,
    `/api/v1/requests?${range}&observations=all&limit=1000&target=${encodeURIComponent(text)}`,
    token,
  );
  return body.requests;
}

/** Ids of the agents connected to the collector now. */
export async function connectedAgents(baseUrl: string, token: string): Promise<string[]> {
  const body = await apiGet<{ agents: { agentId: string; config: { connected: boolean } }[] }>(
    baseUrl,
    "/api/v1/agents",
    token,
  );
  return body.agents.filter((agent) => agent.config.connected).map((agent) => agent.agentId);
}

/**
 * Both observations of the host traffic — the client's and the server's, each tied to
 * the process that made it — or undefined while either is missing.
 */
export async function bothSidesOf(
  baseUrl: string,
  token: string,
  traffic: { prefix: string; serverPort: number; serverPid: number; clientPid: number },
): Promise<{ client: StoredRequest; server: StoredRequest } | undefined> {
  const stored = (await storedRequests(baseUrl, token, traffic.prefix)).filter(
    (request) => request.target.startsWith(traffic.prefix) && request.server.port === traffic.serverPort,
  );
  const client = stored.find(
    (request) => request.side === "client" && request.client.pid === traffic.clientPid,
  );
  const server = stored.find(
    (request) => request.side === "server" && request.server.pid === traffic.serverPid,
  );
  return client && server ? { client, server } : undefined;
}
