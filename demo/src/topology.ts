// The demo's services in one table: who they are, which namespace they belong to,
// how they are reached and which port (an offset from DEMO_BASE_PORT) each takes.
// scripts/stack.ts starts them from this table; the services read their own and
// their peers' addresses from it, so a port lives in exactly one place.

export interface DemoService {
  /** Namespace on the map: "shop", "orders" or "billing". */
  namespace: string;
  /** Service name inside its namespace. */
  name: string;
  /** The compiled entry point under demo/dist. */
  script: string;
  /** Offset from DEMO_BASE_PORT; absent for a client-only process (the load generator). */
  portOffset?: number;
  transport?: "http" | "grpc";
}

export const DEMO_SERVICES = [
  { namespace: "shop", name: "frontend", script: "frontend.js", portOffset: 0, transport: "http" },
  { namespace: "shop", name: "catalog", script: "catalog.js", portOffset: 1, transport: "http" },
  { namespace: "shop", name: "cart", script: "cart.js", portOffset: 2, transport: "http" },
  { namespace: "orders", name: "orders", script: "orders.js", portOffset: 3, transport: "grpc" },
  { namespace: "orders", name: "stock", script: "stock.js", portOffset: 4, transport: "http" },
  { namespace: "orders", name: "courier", script: "courier.js", portOffset: 5, transport: "http" },
  { namespace: "billing", name: "charge", script: "charge.js", portOffset: 6, transport: "grpc" },
  { namespace: "billing", name: "fraud", script: "fraud.js", portOffset: 7, transport: "http" },
  { namespace: "billing", name: "ledger", script: "ledger.js", portOffset: 8, transport: "http" },
  { namespace: "shop", name: "loadgen", script: "loadgen.js" },
] as const satisfies readonly DemoService[];

export type DemoServiceName = (typeof DEMO_SERVICES)[number]["name"];

/** Ports the demo takes from its base: base … base + DEMO_PORT_COUNT - 1. */
export const DEMO_PORT_COUNT = 9;
export const DEFAULT_DEMO_BASE_PORT = 3100;

/** Products 1…PRODUCT_COUNT exist in the catalog; carts hold only those. */
export const PRODUCT_COUNT = 200;

/** A product's price, known to the catalog (its table) and to orders (the total). */
export function priceCentsOf(productId: number): number {
  return 100 + ((productId * 37) % 9900);
}

/**
 * The process title, which is the name the agent gives a host process
 * (packages/agent/src/metadata/service-name.ts reads comm). "<namespace>/<name>"
 * matches how the collector names a Kubernetes workload ("shop/checkout").
 * Kept under 15 bytes: comm is cut at TASK_COMM_LEN - 1, and the agent then
 * reads argv[0]'s basename, which would drop the namespace.
 */
export function titleOf(service: DemoService): string {
  return `${service.namespace}/${service.name}`;
}

export function serviceNamed(name: DemoServiceName): DemoService {
  const service = DEMO_SERVICES.find((candidate) => candidate.name === name);
  if (service === undefined) throw new Error(`no demo service named ${name}`);
  return service;
}

/** "127.0.0.1:port" of a demo server, from the base port the stack chose. */
export function addressOf(name: DemoServiceName, basePort: number): string {
  const { portOffset } = serviceNamed(name);
  if (portOffset === undefined) throw new Error(`demo service ${name} does not listen`);
  return `127.0.0.1:${basePort + portOffset}`;
}
