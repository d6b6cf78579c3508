import type { Endpoint } from "../api/types";

/** Names a request's peer the way the service map does: service, else process, else ip:port. */
export function formatEndpoint(endpoint: Endpoint): string {
  if (endpoint.service) return endpoint.service;
  if (endpoint.processName) return endpoint.processName;
  if (endpoint.ip) return endpoint.port > 0 ? `${endpoint.ip}:${endpoint.port}` : endpoint.ip;
  return "unknown";
}
