// Small readers for untrusted JSON: each returns a typed value or a fallback, never throws.

export type JsonObject = Record<string, unknown>;

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

export function readString(object: JsonObject, key: string, fallback = ""): string {
  const value = object[key];
  return typeof value === "string" ? value : fallback;
}

export function readNumber(object: JsonObject, key: string, fallback = 0): number {
  const value = object[key];
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

export function readBoolean(object: JsonObject, key: string, fallback = false): boolean {
  const value = object[key];
  return typeof value === "boolean" ? value : fallback;
}

export function readArray(object: JsonObject, key: string): unknown[] {
  const value = object[key];
  return Array.isArray(value) ? value : [];
}
