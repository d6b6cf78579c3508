// SQL text as records show it: the verb, a bounded statement, and optional
// literal masking. Shared by the PostgreSQL and MySQL parsers (mysql/ imports it).

/** Statement text kept in a record's target, in UTF-16 code units. */
export const MAX_STATEMENT_LENGTH = 1024;

export interface SqlTextOptions {
  /** Replace string and numeric literals with '?' before the text leaves the agent. Off by default. */
  maskLiterals?: boolean;
  /**
   * Whether "..." is a string literal (MySQL without ANSI_QUOTES) rather than a
   * quoted identifier (PostgreSQL, SQL standard §5.2 <delimited identifier>).
   */
  doubleQuotedStrings?: boolean;
}

const VERB = /^[A-Za-z]+/;

/**
 * The statement's leading keyword in upper case (SELECT, INSERT, WITH…), after
 * whitespace, comments and opening parentheses; "" when there is none.
 */
export function sqlVerb(sql: string): string {
  let index = 0;
  while (index < sql.length) {
    const char = sql[index];
    if (char === " " || char === "\t" || char === "\n" || char === "\r" || char === "(" || char === ";") {
      index++;
    } else if (sql.startsWith("--", index) || char === "#") {
      const end = sql.indexOf("\n", index);
      index = end < 0 ? sql.length : end + 1;
    } else if (sql.startsWith("/*", index)) {
      const end = sql.indexOf("*/", index + 2);
      index = end < 0 ? sql.length : end + 2;
    } else {
      break;
    }
  }
  return VERB.exec(sql.slice(index, index + 32))?.[0]?.toUpperCase() ?? "";
}

/** The text a record carries: masked if asked, then cut to the bound. */
export function statementTarget(sql: string, options: SqlTextOptions = {}): string {
  const text = options.maskLiterals ? maskSqlLiterals(sql, options) : sql;
  if (text.length <= MAX_STATEMENT_LENGTH) return text;
  // Do not leave half of a surrogate pair at the cut.
  const cut = text.charCodeAt(MAX_STATEMENT_LENGTH - 1);
  const end = cut >= 0xd800 && cut <= 0xdbff ? MAX_STATEMENT_LENGTH - 1 : MAX_STATEMENT_LENGTH;
  return text.slice(0, end);
}

function isIdentifierChar(char: string | undefined): boolean {
  return char !== undefined && /[A-Za-z0-9_$\u0080-\uffff]/.test(char);
}

function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= "0" && char <= "9";
}

/**
 * Replaces string literals ('…' with '' and backslash escapes, E'…', X'…',
 * $tag$…$tag$ dollar quoting — PostgreSQL docs §4.1.2) and numeric literals
 * (integers, decimals, exponents, 0x hex) with '?'. Identifiers (t1, "col 2"
 * where double quotes name identifiers) and comments are kept. A literal left
 * open by a cut statement is masked to the end. Pure; never throws.
 */
export function maskSqlLiterals(
  sql: string,
  options: Pick<SqlTextOptions, "doubleQuotedStrings"> = {},
): string {
  let out = "";
  let index = 0;
  while (index < sql.length) {
    const char = sql[index] as string;
    const previous = sql[index - 1];
    if (sql.startsWith("--", index)) {
      const end = sql.indexOf("\n", index);
      const stop = end < 0 ? sql.length : end;
      out += sql.slice(index, stop);
      index = stop;
    } else if (sql.startsWith("/*", index)) {
      const end = sql.indexOf("*/", index + 2);
      const stop = end < 0 ? sql.length : end + 2;
      out += sql.slice(index, stop);
      index = stop;
    } else if (char === "'" || (char === '"' && options.doubleQuotedStrings)) {
      // A prefix letter (E'', X'', B'', N'') belongs to the literal.
      if (/[EeXxBbNn]/.test(previous ?? "") && !isIdentifierChar(sql[index - 2])) out = out.slice(0, -1);
      index = skipQuoted(sql, index, char);
      out += "?";
    } else if (char === '"') {
      const end = sql.indexOf('"', index + 1);
      const stop = end < 0 ? sql.length : end + 1;
      out += sql.slice(index, stop);
      index = stop;
    } else if (char === "$" && !isIdentifierChar(previous)) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(index, index + 64))?.[0];
      if (tag === undefined) {
        // $1 is a parameter placeholder, not a literal: keep it.
        const placeholder = /^\$[0-9]+/.exec(sql.slice(index, index + 16))?.[0] ?? "$";
        out += placeholder;
        index += placeholder.length;
      } else {
        const end = sql.indexOf(tag, index + tag.length);
        index = end < 0 ? sql.length : end + tag.length;
        out += "?";
      }
    } else if ((isDigit(char) || (char === "." && isDigit(sql[index + 1]))) && !isIdentifierChar(previous)) {
      const number = /^(0[xX][0-9A-Fa-f]+|[0-9]*\.?[0-9]+([eE][+-]?[0-9]+)?)/.exec(sql.slice(index))?.[0];
      const length = number === undefined || number.length === 0 ? 1 : number.length;
      index += length;
      out += "?";
    } else {
      out += char;
      index++;
    }
  }
  return out;
}

/**
 * Index just past the quoted literal opened at `start`. A doubled quote escapes
 * (SQL standard); so does a backslash (MySQL's default, PostgreSQL's E'' strings).
 * Under PostgreSQL's standard_conforming_strings a trailing backslash then masks
 * more than the literal: the safe direction.
 */
function skipQuoted(sql: string, start: number, quote: string): number {
  let index = start + 1;
  while (index < sql.length) {
    const char = sql[index];
    if (char === "\\") {
      index += 2;
    } else if (char === quote) {
      if (sql[index + 1] !== quote) return index + 1;
      index += 2;
    } else {
      index++;
    }
  }
  return sql.length;
}
