// One error handler for the whole API: clients get `{ error: { code, message } }`;
// a 5xx never reveals internals (SQL, stack, storage messages), only the log does.
import type { FastifyError, FastifyInstance, FastifySchemaValidationError } from "fastify";
import { QueryLimitError } from "../storage/query-limits.js";
import { QueryCancelledError } from "../storage/storage.js";
import { ApiError, errorBody } from "./api-error.js";

function describeValidationIssue(issue: FastifySchemaValidationError): string {
  const parameter =
    issue.instancePath.replace(/^\//, "") || String(issue.params.missingProperty ?? "request");
  const allowed = issue.params.allowedValues;
  if (issue.keyword === "enum" && Array.isArray(allowed)) {
    return `${parameter} must be one of ${allowed.filter((value) => value !== "").join(", ")}`;
  }
  return `${parameter} ${issue.message ?? "is invalid"}`;
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ApiError) {
      return reply.status(error.statusCode).send(errorBody(error.code, error.message));
    }
    // A query stopped at a per-query limit: 422 narrow the range, or 503 (storage/query-limits.ts).
    if (error instanceof QueryLimitError) {
      request.log.warn({ clickhouseCode: error.clickhouseCode, kind: error.kind }, error.message);
      return reply.status(error.statusCode).send(errorBody(error.apiCode, error.message));
    }
    // Nobody is left to answer; 499 is what the access log shows (nginx's "client closed request").
    if (error instanceof QueryCancelledError) {
      request.log.info("client disconnected; its query was cancelled");
      return reply.status(499).send(errorBody("bad_request", error.message));
    }
    if (error.validation !== undefined && error.validation.length > 0) {
      const message = error.validation.map(describeValidationIssue).join("; ");
      return reply.status(400).send(errorBody("bad_request", message));
    }
    const status = error.statusCode ?? 500;
    if (status === 404) return reply.status(404).send(errorBody("not_found", error.message));
    if (status === 413) return reply.status(413).send(errorBody("payload_too_large", error.message));
    if (status >= 400 && status < 500)
      return reply.status(status).send(errorBody("bad_request", error.message));
    request.log.error({ err: error }, "request failed");
    return reply.status(500).send(errorBody("internal", "internal error"));
  });

  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send(errorBody("not_found", `no route for ${request.method} ${request.url.split("?")[0]}`)),
  );
}
