import { describe, expect, it } from "vitest";
import { type ExpressionSubject, matchesExpression, parseExpression } from "./mapExpression";

const checkout: ExpressionSubject = {
  names: ["shop/checkout"],
  namespaces: ["shop"],
  kinds: ["service"],
  protocols: ["http", "grpc"],
  requestCount: 400,
  rate: 0.44,
  errorRatio: 0.2,
  p50Ms: 35,
  p99Ms: 1840,
};
const ledger: ExpressionSubject = {
  ...checkout,
  names: ["billing/ledger"],
  namespaces: ["billing"],
  protocols: ["http"],
  errorRatio: 0,
  p99Ms: 11,
};

function matches(text: string, subject: ExpressionSubject): boolean {
  const parsed = parseExpression(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.message}`);
  if (!parsed.expression) throw new Error(`${text}: empty`);
  return matchesExpression(parsed.expression, subject);
}

function errorOf(text: string): { message: string; position: number } {
  const parsed = parseExpression(text);
  if (parsed.ok) throw new Error(`${text} parsed`);
  return { message: parsed.message, position: parsed.position };
}

describe("parseExpression + matchesExpression", () => {
  it("the issue's examples: ns=shop AND errors>5%, p99>200ms", () => {
    expect(matches("ns=shop AND errors>5%", checkout)).toBe(true);
    expect(matches("ns=shop AND errors>5%", ledger)).toBe(false);
    expect(matches("p99>200ms", checkout)).toBe(true);
    expect(matches("p99>200ms", ledger)).toBe(false);
  });

  it("units: seconds, bare ms, bare percent, rates per second and per minute", () => {
    expect(matches("p99>1.5s", checkout)).toBe(true);
    expect(matches("p99>2s", checkout)).toBe(false);
    expect(matches("p50>=35", checkout)).toBe(true);
    expect(matches("errors>19", checkout)).toBe(true);
    expect(matches("errors>21", checkout)).toBe(false);
    expect(matches("rate>0.4/s", checkout)).toBe(true);
    expect(matches("rate>30/m", checkout)).toBe(false);
    expect(matches("requests=400", checkout)).toBe(true);
  });

  it("OR, NOT, parentheses and precedence (AND binds tighter than OR)", () => {
    expect(matches("ns=billing OR p99>1s", checkout)).toBe(true);
    expect(matches("NOT ns=shop", checkout)).toBe(false);
    expect(matches("ns=billing OR ns=shop AND errors<1%", checkout)).toBe(false);
    expect(matches("(ns=billing OR ns=shop) AND errors>1%", checkout)).toBe(true);
    expect(matches("ns=shop and not protocol=redis", checkout)).toBe(true);
  });

  it("text: case-insensitive, * wildcard, ~ contains, != none of the values", () => {
    expect(matches("name=SHOP/*", checkout)).toBe(true);
    expect(matches("name~check", checkout)).toBe(true);
    expect(matches('name="billing/ledger"', ledger)).toBe(true);
    expect(matches("protocol!=grpc", checkout)).toBe(false);
    expect(matches("protocol!=grpc", ledger)).toBe(true);
  });

  it("blank input is no expression, not an error", () => {
    expect(parseExpression("   ")).toEqual({ ok: true, expression: undefined });
  });

  it("bad expressions say what is wrong and where", () => {
    expect(errorOf("nss=shop")).toEqual({
      message: expect.stringMatching(/^unknown field "nss"; known: ns, namespace/),
      position: 0,
    });
    expect(errorOf("errors>five")).toMatchObject({
      message: '"errors" takes a percentage such as 5%, not "five"',
      position: 7,
    });
    expect(errorOf("p99>200kg").message).toBe(
      '"p99" takes a duration such as 200ms or 1.5s (units: us, ms, s, m), not "200kg"',
    );
    expect(errorOf("ns>shop")).toMatchObject({
      message: '"ns" is text: use =, != or ~ (contains), not >',
      position: 2,
    });
    expect(errorOf("ns=shop AND")).toMatchObject({
      message: expect.stringMatching(/^expression ends early/),
      position: 11,
    });
    expect(errorOf("(ns=shop")).toMatchObject({ message: 'missing ")" for the "(" here', position: 0 });
    expect(errorOf("ns=shop)")).toMatchObject({
      message: 'unexpected ")" with no "(" before it',
      position: 7,
    });
    expect(errorOf("ns=shop p99>1s").message).toBe('unexpected "p99": join comparisons with AND or OR');
    expect(errorOf("p99").message).toBe('expected an operator (=, !=, >, >=, <, <=, ~) after "p99"');
    expect(errorOf("p99>").message).toBe('expected a value after "p99>"');
    expect(errorOf('name="shop').message).toBe('unclosed quote "');
    expect(errorOf("p99~2").message).toBe('"~" (contains) works on text fields, not on "p99"');
    expect(errorOf("!ns=shop").message).toBe('"!" must be followed by "=" (use NOT to negate)');
  });
});
