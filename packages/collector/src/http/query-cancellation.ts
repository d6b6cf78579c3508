// A client that gives up (closes the page, times out, navigates away) should
// not leave its queries running: each request's handler runs with a signal
// (storage/query-signal.ts) that aborts when the connection closes before the
// response was sent. Storage passes it to the query (storage/storage.ts says
// what each backend can do with it).
import type { FastifyInstance } from "fastify";
import { runWithQuerySignal } from "../storage/query-signal.js";

export function registerQueryCancellation(app: FastifyInstance): void {
  // preHandler, not onRequest: the body is parsed by then, and the handler is
  // called from done() synchronously, so it runs inside the context.
  app.addHook("preHandler", (_request, reply, done) => {
    const controller = new AbortController();
    const onClose = () => {
      // 'close' also follows a response sent in full; only an early close is a client giving up.
      if (!reply.raw.writableFinished) controller.abort();
    };
    reply.raw.once("close", onClose);
    runWithQuerySignal(controller.signal, done);
  });
}
