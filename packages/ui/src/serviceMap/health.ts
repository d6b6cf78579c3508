// Health from error rate. The thresholds follow the usual SLO reading of a service
// map: any error is worth a glance, 5% or more is an incident.

export type Health = "idle" | "healthy" | "degraded" | "failing";

export const FAILING_ERROR_RATE = 0.05;

export function healthOf(requestCount: number, errorCount: number): Health {
  if (requestCount <= 0) return errorCount > 0 ? "failing" : "idle";
  if (errorCount <= 0) return "healthy";
  return errorCount / requestCount >= FAILING_ERROR_RATE ? "failing" : "degraded";
}

export const HEALTH_COLORS: Record<Health, string> = {
  idle: "#94a3b8",
  healthy: "#10b981",
  degraded: "#f59e0b",
  failing: "#ef4444",
};
