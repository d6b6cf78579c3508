// A synthetic cluster's call graph for the collector benchmark: services in
// namespaces, edges with protocols, call weights, error rates, latencies,
// operations and endpoints. Deterministic (seeded), so every run loads the
// same shape.
export interface SyntheticEdge {
  client: string;
  clientNamespace: string;
  /** "" for a peer no agent runs on (named by ip:port on the map). */
  server: string;
  serverNamespace: string;
  serverIp: string;
  serverPort: number;
  protocol: string;
  /** Relative call volume. */
  weight: number;
  errorPerMille: number;
  medianMicros: number;
  operations: string[];
  targets: string[];
  /** Which ends run an agent: both ends' rows are stored for a call seen at both. */
  clientObserved: boolean;
  serverObserved: boolean;
}

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const NAMESPACES = ["shop", "payments", "identity", "platform"] as const;
const BACKENDS = [
  "users",
  "orders",
  "cart",
  "catalog",
  "search",
  "pricing",
  "inventory",
  "shipping",
  "payments",
  "fraud",
  "ledger",
  "auth",
  "sessions",
  "notifications",
  "recommendations",
  "reviews",
  "media",
  "checkout",
  "billing",
  "reporting",
];

/** How large a cluster to draw; the defaults are the collector benchmark's 22 services. */
export interface TopologySize {
  /** Services behind the gateway; past the 20 named ones, names repeat with a suffix (users-1). */
  backends: number;
  namespaces: readonly string[];
  /** Calls from each backend to other backends: between these, inclusive. */
  minFanOut: number;
  maxFanOut: number;
}

const DEFAULT_SIZE: TopologySize = {
  backends: BACKENDS.length,
  namespaces: NAMESPACES,
  minFanOut: 1,
  maxFanOut: 3,
};

/** bench-scale's cluster (issue #9): 200 services, about 600 edges, 8 namespaces. */
export const LARGE_CLUSTER: TopologySize = {
  backends: 198,
  namespaces: [...NAMESPACES, "search", "data", "ml", "edge"],
  minFanOut: 0,
  maxFanOut: 2,
};

function backendNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const name = BACKENDS[i % BACKENDS.length] as string;
    return i < BACKENDS.length ? name : `${name}-${Math.floor(i / BACKENDS.length)}`;
  });
}

export function syntheticTopology(seed = 42, size: TopologySize = DEFAULT_SIZE): SyntheticEdge[] {
  const random = seeded(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const backends = backendNames(size.backends);
  const namespaceOf = new Map<string, string>([
    ["frontend", "shop"],
    ["gateway", "platform"],
  ]);
  for (const service of backends) namespaceOf.set(service, pick(size.namespaces));
  const ipOf = (name: string, index: number) =>
    `10.${(index >> 8) + 1}.${index & 255}.${((name.length * 7) % 250) + 2}`;
  const edges: SyntheticEdge[] = [];
  const http = (client: string, server: string, weight: number, resources: string[]) =>
    edges.push({
      client,
      clientNamespace: namespaceOf.get(client) ?? "",
      server,
      serverNamespace: namespaceOf.get(server) ?? "",
      serverIp: ipOf(server, edges.length),
      serverPort: 8080,
      protocol: random() < 0.75 ? "http" : "grpc",
      weight,
      errorPerMille: random() < 0.15 ? 50 + Math.floor(random() * 150) : Math.floor(random() * 15),
      medianMicros: 800 + Math.floor(random() * 40_000),
      operations: ["GET", "GET", "GET", "POST", "PUT", "DELETE"].slice(0, 2 + Math.floor(random() * 4)),
      targets: resources.map((resource) => `/api/v1/${server}/${resource}`),
      clientObserved: true,
      serverObserved: true,
    });
  // Internet -> frontend: only the server end runs an agent.
  edges.push({
    client: "",
    clientNamespace: "",
    server: "frontend",
    serverNamespace: "shop",
    serverIp: "10.0.0.10",
    serverPort: 3000,
    protocol: "http",
    weight: 300,
    errorPerMille: 8,
    medianMicros: 25_000,
    operations: ["GET", "POST"],
    targets: ["/", "/product", "/cart", "/checkout", "/search"],
    clientObserved: false,
    serverObserved: true,
  });
  http("frontend", "gateway", 300, ["session", "page", "api"]);
  for (const service of backends) {
    http("gateway", service, 20 + Math.floor(random() * 80), ["items", "item", "list", "status"]);
    const fanOut = size.minFanOut + Math.floor(random() * (size.maxFanOut - size.minFanOut + 1));
    for (let i = 0; i < fanOut; i++) {
      const callee = pick(backends);
      if (callee !== service) http(service, callee, 5 + Math.floor(random() * 40), ["lookup", "batch"]);
    }
  }
  // Datastores: no agent on their hosts, so seen from the client side only.
  const stores = [
    {
      protocol: "postgres",
      ip: "10.9.0.5",
      port: 5432,
      operations: ["SELECT", "INSERT", "UPDATE"],
      targets: ["users", "orders", "items", "ledger"],
    },
    {
      protocol: "redis",
      ip: "10.9.0.6",
      port: 6379,
      operations: ["GET", "SET", "EXPIRE"],
      targets: ["session", "cart", "price"],
    },
    {
      protocol: "kafka",
      ip: "10.9.0.7",
      port: 9092,
      operations: ["Produce", "Fetch"],
      targets: ["events", "orders", "audit"],
    },
    {
      protocol: "mysql",
      ip: "10.9.0.8",
      port: 3306,
      operations: ["SELECT", "COM_STMT_EXECUTE"],
      targets: ["legacy_orders"],
    },
  ];
  for (const service of backends) {
    const store = pick(stores);
    edges.push({
      client: service,
      clientNamespace: namespaceOf.get(service) ?? "",
      server: "",
      serverNamespace: "",
      serverIp: store.ip,
      serverPort: store.port,
      protocol: store.protocol,
      weight: 10 + Math.floor(random() * 60),
      errorPerMille: Math.floor(random() * 10),
      medianMicros: 300 + Math.floor(random() * 3_000),
      operations: store.operations,
      targets: store.targets,
      clientObserved: true,
      serverObserved: false,
    });
  }
  return edges;
}
