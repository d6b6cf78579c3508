// Find and hide expressions for the map, in the spirit of Kiali's graph find/hide
// (`ns=shop AND errors>5%`, `p99>200ms`): comparisons joined by AND, OR, NOT and
// parentheses. Parsing is separate from evaluation so that a bad expression is
// reported once, with its position, while the map keeps its last good filter.

/** A map element as an expression sees it. Edges answer for either of their ends. */
export interface ExpressionSubject {
  names: readonly string[];
  namespaces: readonly string[];
  kinds: readonly string[];
  protocols: readonly string[];
  requestCount: number;
  rate: number;
  errorRatio: number;
  p50Ms: number;
  p99Ms: number;
}

type TextField = "names" | "namespaces" | "kinds" | "protocols";
type NumberField = "requestCount" | "rate" | "errorRatio" | "p50Ms" | "p99Ms";
type Unit = "percent" | "duration" | "rate" | "count";

const TEXT_FIELDS: Record<string, TextField> = {
  ns: "namespaces",
  namespace: "namespaces",
  name: "names",
  service: "names",
  svc: "names",
  kind: "kinds",
  protocol: "protocols",
  proto: "protocols",
};

const NUMBER_FIELDS: Record<string, { field: NumberField; unit: Unit }> = {
  errors: { field: "errorRatio", unit: "percent" },
  error: { field: "errorRatio", unit: "percent" },
  err: { field: "errorRatio", unit: "percent" },
  rate: { field: "rate", unit: "rate" },
  rps: { field: "rate", unit: "rate" },
  requests: { field: "requestCount", unit: "count" },
  p50: { field: "p50Ms", unit: "duration" },
  p99: { field: "p99Ms", unit: "duration" },
  latency: { field: "p99Ms", unit: "duration" },
};

export const EXPRESSION_FIELDS = [...Object.keys(TEXT_FIELDS), ...Object.keys(NUMBER_FIELDS)];

type TextOperator = "=" | "!=" | "~";
type NumberOperator = "=" | "!=" | ">" | ">=" | "<" | "<=";

export type Expression =
  | { kind: "and" | "or"; left: Expression; right: Expression }
  | { kind: "not"; operand: Expression }
  | { kind: "text"; field: TextField; operator: TextOperator; pattern: string }
  | { kind: "number"; field: NumberField; operator: NumberOperator; value: number };

export type ParseResult =
  | { ok: true; expression: Expression | undefined }
  | { ok: false; message: string; position: number };

interface Token {
  type: "word" | "string" | "op" | "(" | ")";
  text: string;
  position: number;
}

class ExpressionError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

const OPERATORS = ["!=", ">=", "<=", "=", ">", "<", "~"];

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const char = input[i] as string;
    if (/\s/.test(char)) {
      i++;
    } else if (char === "(" || char === ")") {
      tokens.push({ type: char, text: char, position: i });
      i++;
    } else if (char === '"' || char === "'") {
      const end = input.indexOf(char, i + 1);
      if (end < 0) throw new ExpressionError(`unclosed quote ${char}`, i);
      tokens.push({ type: "string", text: input.slice(i + 1, end), position: i });
      i = end + 1;
    } else {
      const operator = OPERATORS.find((op) => input.startsWith(op, i));
      if (operator) {
        tokens.push({ type: "op", text: operator, position: i });
        i += operator.length;
        continue;
      }
      if (char === "!") throw new ExpressionError('"!" must be followed by "=" (use NOT to negate)', i);
      const start = i;
      while (i < input.length && !/[\s()"'!=<>~]/.test(input[i] as string)) i++;
      tokens.push({ type: "word", text: input.slice(start, i), position: start });
    }
  }
  return tokens;
}

/** Parses an expression; an empty or blank one parses to `undefined` (match nothing / hide nothing). */
export function parseExpression(input: string): ParseResult {
  let tokens: Token[];
  try {
    tokens = tokenize(input);
  } catch (error) {
    if (error instanceof ExpressionError)
      return { ok: false, message: error.message, position: error.position };
    throw error;
  }
  if (tokens.length === 0) return { ok: true, expression: undefined };
  let index = 0;
  const peek = () => tokens[index];
  const isKeyword = (token: Token | undefined, keyword: string) =>
    token?.type === "word" && token.text.toUpperCase() === keyword;
  const endPosition = input.length;

  function parseOr(): Expression {
    let left = parseAnd();
    while (isKeyword(peek(), "OR")) {
      index++;
      left = { kind: "or", left, right: parseAnd() };
    }
    return left;
  }
  function parseAnd(): Expression {
    let left = parseNot();
    while (isKeyword(peek(), "AND")) {
      index++;
      left = { kind: "and", left, right: parseNot() };
    }
    return left;
  }
  function parseNot(): Expression {
    if (isKeyword(peek(), "NOT")) {
      index++;
      return { kind: "not", operand: parseNot() };
    }
    return parsePrimary();
  }
  function parsePrimary(): Expression {
    const token = peek();
    if (!token)
      throw new ExpressionError(
        "expression ends early: expected a comparison such as p99>200ms",
        endPosition,
      );
    if (token.type === "(") {
      index++;
      const inner = parseOr();
      const close = peek();
      if (close?.type !== ")") throw new ExpressionError('missing ")" for the "(" here', token.position);
      index++;
      return inner;
    }
    if (token.type !== "word" || ["AND", "OR"].includes(token.text.toUpperCase())) {
      throw new ExpressionError(`expected a field name, found "${token.text}"`, token.position);
    }
    index++;
    return parseComparison(token);
  }
  function parseComparison(fieldToken: Token): Expression {
    const name = fieldToken.text.toLowerCase();
    const operatorToken = peek();
    if (operatorToken?.type !== "op") {
      throw new ExpressionError(
        `expected an operator (=, !=, >, >=, <, <=, ~) after "${fieldToken.text}"`,
        operatorToken?.position ?? endPosition,
      );
    }
    index++;
    const valueToken = peek();
    if (!valueToken || (valueToken.type !== "word" && valueToken.type !== "string")) {
      throw new ExpressionError(
        `expected a value after "${fieldToken.text}${operatorToken.text}"`,
        valueToken?.position ?? endPosition,
      );
    }
    index++;
    const textField = TEXT_FIELDS[name];
    if (textField) {
      if (!["=", "!=", "~"].includes(operatorToken.text)) {
        throw new ExpressionError(
          `"${fieldToken.text}" is text: use =, != or ~ (contains), not ${operatorToken.text}`,
          operatorToken.position,
        );
      }
      return {
        kind: "text",
        field: textField,
        operator: operatorToken.text as TextOperator,
        pattern: valueToken.text,
      };
    }
    const numberField = NUMBER_FIELDS[name];
    if (!numberField) {
      throw new ExpressionError(
        `unknown field "${fieldToken.text}"; known: ${EXPRESSION_FIELDS.join(", ")}`,
        fieldToken.position,
      );
    }
    if (operatorToken.text === "~") {
      throw new ExpressionError(
        `"~" (contains) works on text fields, not on "${fieldToken.text}"`,
        operatorToken.position,
      );
    }
    const value = parseQuantity(valueToken, numberField.unit, fieldToken.text);
    return {
      kind: "number",
      field: numberField.field,
      operator: operatorToken.text as NumberOperator,
      value,
    };
  }

  try {
    const expression = parseOr();
    const extra = peek();
    if (extra) {
      const message =
        extra.type === ")"
          ? 'unexpected ")" with no "(" before it'
          : `unexpected "${extra.text}": join comparisons with AND or OR`;
      throw new ExpressionError(message, extra.position);
    }
    return { ok: true, expression };
  } catch (error) {
    if (error instanceof ExpressionError)
      return { ok: false, message: error.message, position: error.position };
    throw error;
  }
}

const DURATION_UNITS: Record<string, number> = {
  "": 1,
  us: 0.001,
  µs: 0.001,
  ms: 1,
  s: 1000,
  m: 60_000,
  min: 60_000,
};

/**
 * A number with its unit, in the field's base unit: error ratios as fractions (5% and a
 * bare 5 both mean 0.05, since a user writing errors>5 means percent), durations in
 * milliseconds (a bare number is ms), rates per second (10, 10/s, 10rps; 600/m).
 */
function parseQuantity(token: Token, unit: Unit, fieldName: string): number {
  const match = /^(-?\d+(?:\.\d+)?)([a-zµ%/]*)$/i.exec(token.text);
  const suffix = (match?.[2] ?? "").toLowerCase();
  const number = Number(match?.[1]);
  const fail = (expected: string) =>
    new ExpressionError(`"${fieldName}" takes ${expected}, not "${token.text}"`, token.position);
  if (!match || !Number.isFinite(number)) {
    const examples: Record<Unit, string> = {
      percent: "a percentage such as 5%",
      duration: "a duration such as 200ms or 1.5s",
      rate: "a rate such as 10/s",
      count: "a count such as 100",
    };
    throw fail(examples[unit]);
  }
  switch (unit) {
    case "percent":
      if (suffix !== "" && suffix !== "%") throw fail("a percentage such as 5%");
      return number / 100;
    case "duration": {
      const factor = DURATION_UNITS[suffix];
      if (factor === undefined) throw fail("a duration such as 200ms or 1.5s (units: us, ms, s, m)");
      return number * factor;
    }
    case "rate":
      if (suffix === "" || suffix === "/s" || suffix === "rps") return number;
      if (suffix === "/m" || suffix === "/min") return number / 60;
      throw fail("a rate such as 10/s or 600/m");
    case "count":
      if (suffix !== "") throw fail("a count such as 100");
      return number;
  }
}

/** Whether `subject` matches. Text patterns are case-insensitive; `*` is a wildcard in = and !=. */
export function matchesExpression(expression: Expression, subject: ExpressionSubject): boolean {
  switch (expression.kind) {
    case "and":
      return matchesExpression(expression.left, subject) && matchesExpression(expression.right, subject);
    case "or":
      return matchesExpression(expression.left, subject) || matchesExpression(expression.right, subject);
    case "not":
      return !matchesExpression(expression.operand, subject);
    case "text": {
      const values = subject[expression.field].map((value) => value.toLowerCase());
      const pattern = expression.pattern.toLowerCase();
      if (expression.operator === "~") return values.some((value) => value.includes(pattern));
      const matcher = globMatcher(pattern);
      const any = values.some((value) => matcher(value));
      return expression.operator === "=" ? any : !any;
    }
    case "number":
      return compare(subject[expression.field], expression.operator, expression.value);
  }
}

function globMatcher(pattern: string): (value: string) => boolean {
  if (!pattern.includes("*")) return (value) => value === pattern;
  const escaped = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  const regex = new RegExp(`^${escaped.join(".*")}$`);
  return (value) => regex.test(value);
}

function compare(actual: number, operator: NumberOperator, expected: number): boolean {
  // Equality on derived figures (ratios, rates) would almost never hold exactly.
  const epsilon = 1e-9 * Math.max(1, Math.abs(expected));
  switch (operator) {
    case "=":
      return Math.abs(actual - expected) <= epsilon;
    case "!=":
      return Math.abs(actual - expected) > epsilon;
    case ">":
      return actual > expected;
    case ">=":
      return actual >= expected - epsilon;
    case "<":
      return actual < expected;
    case "<=":
      return actual <= expected + epsilon;
  }
}
