// A record's target as a metric series names it, so a service's endpoints stay
// a short list instead of one series per user: paths by the contract's id
// rule (packages/proto target-template.ts: `/users/1057` → `/users/{id}`).
//
// SQL arrives as statement text: its literals are masked with the redactor's
// own scanner (sql-text.ts), so `WHERE id = 5` and `WHERE id = 6` share one
// series. Redis keys are templated per ':'-separated part (`user:1057` →
// `user:{id}`). Other protocols' targets (topics, subjects, collections, DNS
// names) stay as their parser gives them; the endpoint cap bounds them.

import { boundTemplate as bounded, templatePath, templateSegments } from "@periscope/proto";

export { MAX_TEMPLATE_LENGTH, templatePath } from "@periscope/proto";

import { maskSqlLiterals } from "../protocols/postgres/sql-text.js";
import type { ProtocolName } from "../records/request-record.js";

/** The target as an endpoint series keys it. */
export function templateTarget(protocol: ProtocolName, target: string): string {
  switch (protocol) {
    case "http":
    case "http2":
      return templatePath(target);
    case "postgres":
    case "mysql":
      return bounded(
        hasLiteral(target) ? maskSqlLiterals(target, { doubleQuotedStrings: protocol === "mysql" }) : target,
      );
    case "redis":
      return bounded(templateSegments(target, ":"));
    default:
      return bounded(target);
  }
}

/** Targets kept per protocol in TargetTemplater's cache before it starts afresh. */
const CACHE_ENTRIES = 4096;

/**
 * templateTarget with a cache per protocol: an application sends the same
 * few paths and statements over and over, and SQL masking scans character by
 * character; "/api/v1/…" has a digit, so without the cache most paths were
 * split and matched per request. Targets holding ids miss (each is new) and
 * cost one lookup more. fold + decide per request, fold-decide-cost.ts on a
 * loaded 2-core VM: 2.2 µs uncached, 1.6 µs cached.
 */
export class TargetTemplater {
  private readonly caches = new Map<ProtocolName, Map<string, string>>();

  template(protocol: ProtocolName, target: string): string {
    let cache = this.caches.get(protocol);
    if (cache === undefined) {
      cache = new Map();
      this.caches.set(protocol, cache);
    }
    let template = cache.get(target);
    if (template === undefined) {
      template = templateTarget(protocol, target);
      if (cache.size >= CACHE_ENTRIES) cache.clear();
      cache.set(target, template);
    }
    return template;
  }
}

function hasLiteral(sql: string): boolean {
  for (let i = 0; i < sql.length; i++) {
    const code = sql.charCodeAt(i);
    if (
      (code >= 0x30 && code <= 0x39) ||
      code === 0x27 /* ' */ ||
      code === 0x22 /* " */ ||
      code === 0x24 /* $ */
    )
      return true;
  }
  return false;
}
