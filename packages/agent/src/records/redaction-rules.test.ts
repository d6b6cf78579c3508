import { describe, expect, it } from "vitest";
import {
  DEFAULT_REDACTED_HEADERS,
  DEFAULT_REDACTION_RULES,
  parseRedactionRules,
  RedactionRuleError,
} from "./redaction-rules.js";

describe("parseRedactionRules", () => {
  it("redacts credential headers and token query parameters by default, masks no SQL", () => {
    for (const rules of [
      parseRedactionRules(undefined),
      parseRedactionRules(""),
      parseRedactionRules("{}"),
    ]) {
      expect(rules).toEqual(DEFAULT_REDACTION_RULES);
    }
    expect([...DEFAULT_REDACTION_RULES.headers]).toEqual(
      expect.arrayContaining(["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"]),
    );
    expect(DEFAULT_REDACTION_RULES.queryParameters.has("access_token")).toBe(true);
    expect(DEFAULT_REDACTION_RULES.maskSqlLiterals).toBe(false);
    expect(DEFAULT_REDACTION_RULES.maskPatterns).toEqual([]);
  });

  it("adds the operator's names to the defaults, lower-cased, and compiles patterns", () => {
    const rules = parseRedactionRules(
      JSON.stringify({
        headers: ["X-Tenant-Secret"],
        queryParameters: ["Session"],
        dropAttributes: ["http.user_agent"],
        maskPatterns: ["\\b\\d{16}\\b"],
        maskSqlLiterals: true,
      }),
    );
    expect(rules.headers.has("x-tenant-secret")).toBe(true);
    for (const header of DEFAULT_REDACTED_HEADERS) expect(rules.headers.has(header)).toBe(true);
    expect(rules.queryParameters.has("session")).toBe(true);
    expect([...rules.dropAttributes]).toEqual(["http.user_agent"]);
    expect(rules.maskPatterns.map((pattern) => pattern.source)).toEqual(["\\b\\d{16}\\b"]);
    expect(rules.maskSqlLiterals).toBe(true);
  });

  it.each([
    ["{not json", /^not valid JSON: /],
    ["[]", /^must be a JSON object, got an array$/],
    ['"headers"', /^must be a JSON object, got "headers"$/],
    ['{"header": ["x-a"]}', /^unknown key "header" \(known: headers, /],
    ['{"headers": "authorization"}', /^headers: must be an array, got "authorization"$/],
    ['{"headers": ["x-ok", "bad header"]}', /^headers\[1\]: must be a header name, got "bad header"$/],
    ['{"headers": [""]}', /^headers\[0\]: must be a header name, got ""$/],
    ['{"queryParameters": ["a=b"]}', /^queryParameters\[0\]: must be a query parameter name/],
    ['{"dropAttributes": [7]}', /^dropAttributes\[0\]: must be an attribute key, got number$/],
    ['{"maskPatterns": ["("]}', /^maskPatterns\[0\]: not a regular expression: /],
    ['{"maskPatterns": ["x*"]}', /^maskPatterns\[0\]: matches the empty string$/],
    [`{"maskPatterns": ["${"a".repeat(300)}"]}`, /^maskPatterns\[0\]: at most 256 characters$/],
    [
      JSON.stringify({ headers: Array.from({ length: 65 }, (_, i) => `x-${i}`) }),
      /^headers: at most 64 entries/,
    ],
    ['{"maskSqlLiterals": "yes"}', /^maskSqlLiterals: must be true or false, got "yes"$/],
  ])("rejects %s with a specific error", (json, message) => {
    expect(() => parseRedactionRules(json)).toThrow(RedactionRuleError);
    expect(() => parseRedactionRules(json)).toThrow(message);
  });
});
