// What the agent removes from records before they leave it: one validated object,
// built from defaults plus the operator's rules (PERISCOPE_REDACTION, JSON).
// Credentials the parsers never read at all (PostgreSQL/MySQL passwords, AMQP
// SASL responses, Redis AUTH, NATS CONNECT and MQTT CONNECT credentials) need
// no rule: they are skipped on the wire and never exist as strings.

/** Header values that are credentials or session state, redacted whatever the rules say. */
export const DEFAULT_REDACTED_HEADERS: readonly string[] = [
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
  "api-key",
  "x-auth-token",
  "x-access-token",
  "x-csrf-token",
  "x-xsrf-token",
  "x-amz-security-token",
];

/** URL query parameters whose values are credentials more often than not (OAuth 2.0 access_token, RFC 6750 §2.3). */
export const DEFAULT_REDACTED_QUERY_PARAMETERS: readonly string[] = [
  "access_token",
  "api_key",
  "apikey",
  "client_secret",
  "password",
  "secret",
  "token",
];

export const REDACTED = "[redacted]";

export interface RedactionRules {
  /** Lower-case header names whose values are replaced by REDACTED (defaults plus `headers`). */
  readonly headers: ReadonlySet<string>;
  /** Lower-case query parameter names whose values in an HTTP target are replaced. */
  readonly queryParameters: ReadonlySet<string>;
  /** Attribute keys removed from every record. */
  readonly dropAttributes: ReadonlySet<string>;
  /** Matches in targets (URLs, SQL statements, subjects) and attribute values become REDACTED. */
  readonly maskPatterns: readonly RegExp[];
  /** SQL string and numeric literals become '?' in PostgreSQL and MySQL statements. Off by default. */
  readonly maskSqlLiterals: boolean;
}

/** A rule that cannot be applied; the message names the field at fault. */
export class RedactionRuleError extends Error {}

/** Rule lists are bounded: every pattern runs on every record. */
const MAX_LIST_LENGTH = 64;
const MAX_PATTERN_LENGTH = 256;
/** RFC 9110 §5.1 field-name: a token. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

const KNOWN_KEYS = [
  "headers",
  "queryParameters",
  "dropAttributes",
  "maskPatterns",
  "maskSqlLiterals",
] as const;

export const DEFAULT_REDACTION_RULES: RedactionRules = parseRedactionRules(undefined);

/**
 * Builds the rules from the operator's JSON (undefined or "" for the defaults).
 * User header and query parameter names add to the defaults; they never remove one.
 * Throws RedactionRuleError naming the field and what is wrong with it.
 */
export function parseRedactionRules(json: string | undefined): RedactionRules {
  const input = json === undefined || json.trim() === "" ? {} : parseJson(json);
  if (typeof input !== "object" || input === null || Array.isArray(input))
    throw new RedactionRuleError(`must be a JSON object, got ${describe(input)}`);
  const fields = input as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((key) => !(KNOWN_KEYS as readonly string[]).includes(key));
  if (unknown.length > 0)
    throw new RedactionRuleError(`unknown key "${unknown[0]}" (known: ${KNOWN_KEYS.join(", ")})`);
  const maskSqlLiterals = fields.maskSqlLiterals ?? false;
  if (typeof maskSqlLiterals !== "boolean")
    throw new RedactionRuleError(`maskSqlLiterals: must be true or false, got ${describe(maskSqlLiterals)}`);
  return {
    headers: new Set([...DEFAULT_REDACTED_HEADERS, ...names(fields, "headers", TOKEN, "a header name")]),
    queryParameters: new Set([
      ...DEFAULT_REDACTED_QUERY_PARAMETERS,
      ...names(fields, "queryParameters", /^[^&=#\s]+$/, "a query parameter name"),
    ]),
    dropAttributes: new Set(stringList(fields, "dropAttributes", /^[\w.:-]+$/, "an attribute key")),
    maskPatterns: stringList(fields, "maskPatterns", /./s, "a pattern").map(compilePattern),
    maskSqlLiterals,
  };
}

function parseJson(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch (error) {
    throw new RedactionRuleError(`not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Header and parameter names compare case-insensitively (RFC 9110 §5.1). */
function names(fields: Record<string, unknown>, key: string, shape: RegExp, what: string): string[] {
  return stringList(fields, key, shape, what).map((name) => name.toLowerCase());
}

function stringList(fields: Record<string, unknown>, key: string, shape: RegExp, what: string): string[] {
  const value = fields[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new RedactionRuleError(`${key}: must be an array, got ${describe(value)}`);
  if (value.length > MAX_LIST_LENGTH)
    throw new RedactionRuleError(`${key}: at most ${MAX_LIST_LENGTH} entries, got ${value.length}`);
  return value.map((item, index) => {
    if (typeof item !== "string" || item === "" || !shape.test(item))
      throw new RedactionRuleError(`${key}[${index}]: must be ${what}, got ${describe(item)}`);
    return item;
  });
}

function compilePattern(source: string, index: number): RegExp {
  if (source.length > MAX_PATTERN_LENGTH)
    throw new RedactionRuleError(`maskPatterns[${index}]: at most ${MAX_PATTERN_LENGTH} characters`);
  let pattern: RegExp;
  try {
    pattern = new RegExp(source, "g");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new RedactionRuleError(`maskPatterns[${index}]: not a regular expression: ${reason}`);
  }
  // A pattern that matches nothing at all would insert the marker between every character.
  if (pattern.test("")) throw new RedactionRuleError(`maskPatterns[${index}]: matches the empty string`);
  pattern.lastIndex = 0;
  return pattern;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "string" ? JSON.stringify(value) : typeof value;
}
