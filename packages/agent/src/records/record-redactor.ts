import { maskSqlLiterals } from "../protocols/postgres/sql-text.js";
import { REDACTED, type RedactionRules } from "./redaction-rules.js";
import type { RequestRecord } from "./request-record.js";

/**
 * Attributes that carry a header's value, by header name. Records name a few
 * headers after what they mean; any header a parser copies whole uses the
 * OpenTelemetry names http.request.header.<name> / http.response.header.<name>.
 */
const HEADER_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  host: ["http.host"],
  ":authority": ["http.host"],
  "user-agent": ["http.user_agent"],
  "content-type": ["http.response.content_type"],
  tracestate: ["trace.tracestate"],
  "grpc-message": ["grpc.message"],
};
const HEADER_ATTRIBUTE_PREFIXES = ["http.request.header.", "http.response.header."];

/**
 * Applies the redaction rules to every record, in the one place records pass
 * through before they leave the agent (Pipeline.emit), so no parser has to
 * know the rules. Only HPACK also gets the header names: its dynamic table
 * keeps values for the connection's life, so they are replaced before storing.
 */
export class RecordRedactor {
  /** Attribute keys whose value is a header the rules redact. */
  private readonly headerAttributes: ReadonlySet<string>;

  constructor(private readonly rules: RedactionRules) {
    const keys = new Set<string>();
    for (const header of rules.headers) {
      for (const key of HEADER_ATTRIBUTES[header] ?? []) keys.add(key);
      for (const prefix of HEADER_ATTRIBUTE_PREFIXES) keys.add(`${prefix}${header}`);
    }
    this.headerAttributes = keys;
  }

  /** Redacts the record in place and returns it. */
  apply(record: RequestRecord): RequestRecord {
    const { rules } = this;
    if (rules.maskSqlLiterals && (record.protocol === "postgres" || record.protocol === "mysql")) {
      // MySQL reads "..." as a string unless ANSI_QUOTES is set; PostgreSQL as an identifier.
      record.target = maskSqlLiterals(record.target, { doubleQuotedStrings: record.protocol === "mysql" });
    }
    if (record.protocol === "http" || record.protocol === "http2" || record.protocol === "grpc") {
      record.target = this.redactQuery(record.target);
    }
    record.target = this.mask(record.target);
    for (const [key, value] of Object.entries(record.attributes)) {
      if (rules.dropAttributes.has(key)) delete record.attributes[key];
      else if (this.headerAttributes.has(key)) record.attributes[key] = REDACTED;
      else record.attributes[key] = this.mask(value);
    }
    return record;
  }

  /** `?token=abc&page=2` → `?token=[redacted]&page=2`, for the parameters the rules name. */
  private redactQuery(target: string): string {
    const queryAt = target.indexOf("?");
    if (queryAt < 0) return target;
    const fragmentAt = target.indexOf("#", queryAt);
    const end = fragmentAt < 0 ? target.length : fragmentAt;
    const parameters = target.slice(queryAt + 1, end).split("&");
    let changed = false;
    const redacted = parameters.map((parameter) => {
      const equals = parameter.indexOf("=");
      if (equals < 0) return parameter;
      const name = safeDecode(parameter.slice(0, equals)).toLowerCase();
      if (!this.rules.queryParameters.has(name)) return parameter;
      changed = true;
      return `${parameter.slice(0, equals + 1)}${REDACTED}`;
    });
    if (!changed) return target;
    return `${target.slice(0, queryAt + 1)}${redacted.join("&")}${target.slice(end)}`;
  }

  private mask(value: string): string {
    let masked = value;
    for (const pattern of this.rules.maskPatterns) masked = masked.replace(pattern, REDACTED);
    return masked;
  }
}

/** A name with a stray '%' is compared as written. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}
