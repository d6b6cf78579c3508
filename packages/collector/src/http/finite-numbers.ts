// Numeric parameters that overflow to Infinity ("limit=1e309") are refused
// before schema validation. Ajv coerces the string to Infinity and its integer
// and maximum checks let it through (`Infinity % 1` is NaN, and NaN passes a
// `!(x % 1)` test), so the value reached SQL and answered 500. Every numeric
// parameter is a query or path value, so checking both covers them all.
import type { FastifyInstance } from "fastify";
import { badRequest } from "./api-error.js";

const NUMBER_LITERAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function firstOverflow(values: unknown): string | undefined {
  if (values === null || typeof values !== "object") return undefined;
  for (const [name, value] of Object.entries(values)) {
    const list = Array.isArray(value) ? value : [value];
    for (const item of list) {
      if (typeof item === "string" && NUMBER_LITERAL.test(item) && !Number.isFinite(Number(item))) {
        return name;
      }
    }
  }
  return undefined;
}

export function registerFiniteNumberCheck(app: FastifyInstance): void {
  app.addHook("preValidation", async (request) => {
    const name = firstOverflow(request.query) ?? firstOverflow(request.params);
    if (name !== undefined) throw badRequest(`${name} is too large to be a number`);
  });
}
