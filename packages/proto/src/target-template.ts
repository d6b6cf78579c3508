// Request targets as series and span names key them: the parts that identify
// one resource among many (ids, UUIDs, hashes, dates, e-mail addresses,
// tokens) collapse to "{id}", so `/users/1057` and `/users/869` are one
// endpoint. The rule for a segment is "contains a digit" (what Grafana Beyla's
// heuristic route classifier does), with the exceptions real APIs need:
// versions (`v1`, `v1beta1`, `2.0`) and words ending in a small number
// (`oauth2`, `base64`, `sha256`) stay. A segment with '@' (an address) or
// longer than 32 characters (a token, a base64 blob) collapses even without a
// digit. Part of the contract: the agent keys endpoint series with it and the
// collector names trace spans with it, so both read the same.

/** Longest template kept, in UTF-16 code units: a series key, not a record. */
export const MAX_TEMPLATE_LENGTH = 256;
export const ID_PLACEHOLDER = "{id}";
/** A segment this long is a token, digits or not. */
const MAX_WORD_LENGTH = 32;

const VERSION = /^(?:v\d+(?:[a-z]+\d*)?|v?\d{1,3}(?:\.\d{1,3}){1,2})$/i;
/** A word with a short number at its end: oauth2, base64, sha256, ipv6, x509. */
const NUMBERED_WORD = /^[a-z]+\d{1,3}$/i;
/** `1057.json`: the id collapses, the extension stays. */
const EXTENSION = /\.[a-z]{1,5}$/i;

/** An HTTP request target: query and fragment dropped, id-like segments collapsed. */
export function templatePath(target: string): string {
  let end = target.length;
  for (let i = 0; i < target.length; i++) {
    const code = target.charCodeAt(i);
    if (code === 0x3f /* ? */ || code === 0x23 /* # */) {
      end = i;
      break;
    }
  }
  return boundTemplate(templateSegments(end === target.length ? target : target.slice(0, end), "/"));
}

/** Splits on `separator` only when some part may be an id: most targets pass through untouched. */
export function templateSegments(text: string, separator: string): string {
  if (!mayHoldId(text, separator.charCodeAt(0))) return text;
  const parts = text.split(separator);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (part !== "" && isIdLike(part)) {
      const extension = EXTENSION.exec(part)?.[0];
      parts[i] =
        extension !== undefined && !part.includes("@") && isIdLike(part.slice(0, -extension.length))
          ? ID_PLACEHOLDER + extension
          : ID_PLACEHOLDER;
    }
  }
  return parts.join(separator);
}

/** One pass over the characters: a digit, an '@' or a long run between separators. */
function mayHoldId(text: string, separator: number): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === separator) {
      run = 0;
      continue;
    }
    if ((code >= 0x30 && code <= 0x39) || code === 0x40 /* @ */ || ++run > MAX_WORD_LENGTH) return true;
  }
  return false;
}

export function isIdLike(segment: string): boolean {
  if (segment.length > MAX_WORD_LENGTH || segment.includes("@")) return true;
  if (!/\d/.test(segment)) return false;
  return !VERSION.test(segment) && !(segment.length <= 8 && NUMBERED_WORD.test(segment));
}

/** A template cut to MAX_TEMPLATE_LENGTH. */
export function boundTemplate(text: string): string {
  return text.length <= MAX_TEMPLATE_LENGTH ? text : text.slice(0, MAX_TEMPLATE_LENGTH);
}
