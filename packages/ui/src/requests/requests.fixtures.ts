// Named API bodies for the explorer's tests, shaped as the collector answers
// (routes/api/v1/requests/schema.ts).

const endpoint = (service: string, ip: string, port: number, pid: number, namespace = "") => ({
  service,
  ip,
  port,
  pid,
  processName: service,
  // A traced process in a container: 64 hex, as the agent reads it from the cgroup.
  containerId: pid > 0 ? pid.toString(16).padStart(64, "a") : "",
  namespace,
  workload: service,
  pod: service === "" ? "" : `${service}-7d9f-abcde`,
  node: "node-1",
});

export const CHECKOUT_SERVER = {
  id: "1777630499123000000-a1b2c3d4",
  time: "2026-05-01T10:14:59.123Z",
  timeUnixNano: "1777630499123000000",
  protocol: "http",
  side: "server",
  client: endpoint("demo-frontend", "10.0.0.5", 51234, 4100, "shop"),
  server: endpoint("demo-orders", "10.0.0.7", 7002, 4102, "shop"),
  operation: "POST",
  target: "/orders?id=1,2",
  status: 201,
  error: false,
  durationMs: 12.5,
  requestBytes: 340,
  responseBytes: 1200,
  traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
  spanId: "00f067aa0ba902b7",
  parentSpanId: "",
  agentId: "host-1",
  sampleWeight: 1,
};

export const SAMPLED_SELECT = {
  ...CHECKOUT_SERVER,
  id: "1777630499100000000-deadbeef",
  time: "2026-05-01T10:14:59.100Z",
  timeUnixNano: "1777630499100000000",
  protocol: "postgres",
  side: "client",
  client: endpoint("demo-orders", "10.0.0.7", 40112, 4102, "shop"),
  server: endpoint("", "10.0.0.9", 5432, 0),
  operation: "SELECT",
  target: '=cmd|"/c calc"',
  status: 0,
  error: true,
  durationMs: 250,
  traceId: "",
  spanId: "",
  sampleWeight: 4,
};

/** A page where one record stands for four requests. */
export const SAMPLED_PAGE = {
  requests: [CHECKOUT_SERVER, SAMPLED_SELECT, "not a record"],
  nextCursor: "MTc3NzYzMDQ5OTEwMDAwMDAwMC1kZWFkYmVlZg",
  sampling: { sampled: true, records: 2, estimatedRequests: 5, maxSampleWeight: 4 },
};

export const LAST_PAGE = {
  requests: [CHECKOUT_SERVER],
  nextCursor: null,
  sampling: { sampled: false, records: 1, estimatedRequests: 1, maxSampleWeight: 1 },
};

export const CHECKOUT_DETAIL = {
  request: {
    ...CHECKOUT_SERVER,
    attributes: {
      "http.request.header.accept": "application/json",
      "http.response.header.content-type": "application/json",
      "http.host": "orders:7002",
    },
    truncated: false,
  },
  observations: [
    { ...CHECKOUT_SERVER, side: "client", id: "client-id", attributes: {}, truncated: true },
    { ...CHECKOUT_SERVER, attributes: { "http.host": "orders:7002" }, truncated: false },
  ],
};

/** Connection intervals of demo-orders near the request: its own connection, and another. */
export const ORDERS_CONNECTIONS = {
  connections: [
    {
      time: 1777630490000,
      connectionId: "c1",
      intervalMs: 10000,
      role: "server",
      pid: 4102,
      process: "demo-orders",
      local: { ip: "10.0.0.7", port: 7002 },
      remote: { ip: "10.0.0.5", port: 51234 },
      bytesSent: 1200,
      bytesReceived: 340,
      retransmits: 0,
      resetsSent: 0,
      resetsReceived: 0,
      stateChanges: 0,
      connectFailed: false,
      connectMs: 0,
      srttUs: 180,
      state: "ESTABLISHED",
    },
    {
      time: 1777630500000,
      connectionId: "c1",
      intervalMs: 10000,
      role: "server",
      pid: 4102,
      process: "demo-orders",
      local: { ip: "10.0.0.7", port: 7002 },
      remote: { ip: "10.0.0.5", port: 51234 },
      bytesSent: 800,
      bytesReceived: 100,
      retransmits: 2,
      resetsSent: 0,
      resetsReceived: 1,
      stateChanges: 1,
      connectFailed: false,
      connectMs: 0,
      srttUs: 240,
      state: "CLOSE",
    },
    {
      time: 1777630500000,
      connectionId: "c2",
      intervalMs: 10000,
      role: "server",
      pid: 4102,
      process: "demo-orders",
      local: { ip: "10.0.0.7", port: 7002 },
      remote: { ip: "10.0.0.5", port: 50000 },
      bytesSent: 5,
      bytesReceived: 5,
      retransmits: 9,
      resetsSent: 9,
      resetsReceived: 9,
      stateChanges: 0,
      connectFailed: true,
      connectMs: 0,
      srttUs: 999,
      state: "CLOSE",
    },
  ],
};
