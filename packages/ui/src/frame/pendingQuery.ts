// A setter's URL shown before the router commits it. Next's router applies a push in
// a transition, so a control bound to the URL (a checkbox, a select) would otherwise
// lag its own click by a render or more.

export interface PendingQuery {
  /** The router's query when the setter ran. */
  base: string;
  /** The query the setter asked for. */
  next: string;
}

/**
 * The query to show: the pending one while the router still shows the query it was
 * made from, else the router's (the push landed, or Back/Forward moved elsewhere).
 */
export function visibleQuery(pending: PendingQuery | undefined, routerQuery: string): string {
  return pending !== undefined && pending.base === routerQuery ? pending.next : routerQuery;
}
