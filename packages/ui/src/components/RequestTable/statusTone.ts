export type StatusTone = "success" | "redirect" | "client-error" | "server-error" | "unknown";

/**
 * Colour class for a response status. HTTP classes by first digit (RFC 9110 §15); a
 * record flagged as an error with no HTTP status (a reset, a gRPC or SQL failure)
 * reads as a server error.
 */
export function statusTone(status: number, error: boolean): StatusTone {
  if (status >= 500 && status < 600) return "server-error";
  if (status >= 400 && status < 500) return "client-error";
  if (error) return "server-error";
  if (status >= 300 && status < 400) return "redirect";
  if (status >= 100 && status < 300) return "success";
  return "unknown";
}

export function statusText(status: number, error: boolean): string {
  if (status > 0) return String(status);
  return error ? "error" : "—";
}
