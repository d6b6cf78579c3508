/**
 * Outcome of one decoding step, shared by every protocol.
 * Parsers return `invalid` instead of throwing: the caller counts it and resyncs.
 */
export type ParseResult<T> =
  | { readonly status: "ok"; readonly value: T }
  | { readonly status: "needs-more-data" }
  | { readonly status: "invalid"; readonly reason: string };

export const needsMoreData = { status: "needs-more-data" } as const;

export function ok<T>(value: T): ParseResult<T> {
  return { status: "ok", value };
}

export function invalid(reason: string): ParseResult<never> {
  return { status: "invalid", reason };
}
