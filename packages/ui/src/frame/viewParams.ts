// View state in the URL, written only where it differs from the default (as Kiali's
// alignURLBool does), so links stay short and a default can change later without
// old links pinning the old one. Any view can describe its own parameters with these
// codecs; a value that does not parse reads as the default instead of breaking the page.

export interface ParamCodec<T> {
  /** undefined when the raw text is not a valid value. */
  parse(raw: string): T | undefined;
  serialize(value: T): string;
  equals?(a: T, b: T): boolean;
}

export type ParamSchema<S> = { [K in keyof S]: ParamCodec<S[K]> };

export const stringParam = (maxLength = 512): ParamCodec<string> => ({
  parse: (raw) => (raw.length <= maxLength ? raw : undefined),
  serialize: (value) => value,
});

export const enumParam = <T extends string>(values: readonly T[]): ParamCodec<T> => ({
  parse: (raw) => ((values as readonly string[]).includes(raw) ? (raw as T) : undefined),
  serialize: (value) => value,
});

export const booleanParam: ParamCodec<boolean> = {
  parse: (raw) => (raw === "1" || raw === "true" ? true : raw === "0" || raw === "false" ? false : undefined),
  serialize: (value) => (value ? "1" : "0"),
};

export const numberParam = (min = -Infinity, max = Infinity): ParamCodec<number> => ({
  parse: (raw) => {
    if (raw.trim() === "") return undefined;
    const value = Number(raw);
    return Number.isFinite(value) && value >= min && value <= max ? value : undefined;
  },
  serialize: (value) => String(value),
});

/** Reads every key of `schema`; missing or invalid values come back as the defaults. */
export function readParams<S extends object>(
  params: URLSearchParams,
  schema: ParamSchema<S>,
  defaults: S,
): S {
  const out = { ...defaults };
  for (const key of Object.keys(schema) as (keyof S & string)[]) {
    const raw = params.get(key);
    if (raw === null) continue;
    const value = schema[key].parse(raw);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/**
 * Writes `values` into a copy of `params`: a key equal to its default (or undefined)
 * is removed, every other key set. Keys outside the schema are kept untouched, so
 * views sharing one URL do not erase each other's state.
 */
export function writeParams<S extends object>(
  params: URLSearchParams,
  schema: ParamSchema<S>,
  values: Partial<S>,
  defaults: S,
): URLSearchParams {
  const out = new URLSearchParams(params);
  for (const key of Object.keys(values) as (keyof S & string)[]) {
    const value = values[key];
    const codec = schema[key];
    if (codec === undefined) continue;
    const equals = codec.equals ?? ((a, b) => a === b);
    if (value === undefined || equals(value as S[typeof key], defaults[key])) out.delete(key);
    else out.set(key, codec.serialize(value as S[typeof key]));
  }
  return out;
}

/** "?a=1" or "" — for building hrefs. */
export function toQueryString(params: URLSearchParams): string {
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}
