// The AbortSignal of whoever is waiting for the queries now running: the HTTP
// request they serve (http/query-cancellation.ts aborts it when the client
// disconnects). It travels with the async context rather than through every
// query module's parameters, so each route's queries are cancelled without
// each of them passing a signal along (the pattern of @fastify/request-context).
import { AsyncLocalStorage } from "node:async_hooks";

const signals = new AsyncLocalStorage<AbortSignal>();

/** Runs fn with `signal` as the signal of every query it starts. */
export function runWithQuerySignal<T>(signal: AbortSignal, fn: () => T): T {
  return signals.run(signal, fn);
}

/** The signal of the current async context, if any. */
export function currentQuerySignal(): AbortSignal | undefined {
  return signals.getStore();
}
