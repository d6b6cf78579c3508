// The config editor's fields and the body PUT /api/v1/agents/config takes. Limits
// mirror the collector's schema (control/collection-config.ts) so the user hears
// what is wrong before the request; the collector checks again and has the last word.
import { pathsApiV1AgentsConfigPutRequestBodyContentApplicationJsonDisabledProtocolsValues as PROTOCOL_VALUES } from "../../api/generated";
import type { CollectionConfig } from "../../api/types";

/** Protocols the kernel capture can skip (gRPC rides HTTP/2 and has no switch), from the API's schema. */
export const CAPTURE_PROTOCOLS: readonly string[] = PROTOCOL_VALUES;

export const MAX_CAPTURE_BYTES = 16_384;
export const MAX_SAMPLE_ONE_IN = 1_000_000;
export const MAX_RECORD_BUDGET = 1_000_000;
export const MAX_PROFILE_HZ = 499;

/** Form values as the inputs hold them (text for numbers and lists). */
export interface ConfigFormValues {
  /** Protocols captured (the complement of disabledProtocols). */
  enabledProtocols: string[];
  sampleOneIn: string;
  recordBudgetPerSecond: string;
  /** CPU profiling rate; "0" switches profiling off, "" keeps the agent's own. */
  profileHz: string;
  captureBytes: string;
  redactFields: string;
  redactSqlLiterals: boolean;
  includeNamespaces: string;
  excludeNamespaces: string;
}

export function configToForm(config: CollectionConfig | undefined): ConfigFormValues {
  const disabled = new Set<string>(config?.disabledProtocols ?? []);
  return {
    enabledProtocols: CAPTURE_PROTOCOLS.filter((protocol) => !disabled.has(protocol)),
    sampleOneIn: config?.sampleOneIn ? String(config.sampleOneIn) : "",
    recordBudgetPerSecond: config?.recordBudgetPerSecond ? String(config.recordBudgetPerSecond) : "",
    profileHz: config?.profileHz === undefined ? "" : String(config.profileHz),
    captureBytes: config?.captureBytes ? String(config.captureBytes) : "",
    redactFields: (config?.redactFields ?? []).join(", "),
    redactSqlLiterals: config?.redactSqlLiterals ?? false,
    includeNamespaces: (config?.includeNamespaces ?? []).join(", "),
    excludeNamespaces: (config?.excludeNamespaces ?? []).join(", "),
  };
}

export type FieldErrors = Partial<Record<keyof ConfigFormValues, string>>;

const HEADER_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function list(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,]+/)
        .map((item) => item.trim())
        .filter(Boolean),
    ),
  ];
}

/** An optional whole number in [min, max]; "" is undefined (the agent's default). */
function wholeNumber(text: string, min: number, max: number): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  if (!/^\d+$/.test(trimmed)) return "a whole number";
  const value = Number(trimmed);
  if (value < min || value > max)
    return `between ${min.toLocaleString("en-US")} and ${max.toLocaleString("en-US")}`;
  return value;
}

/** The PUT body, or per-field errors a user can act on. */
export function formToConfig(
  values: ConfigFormValues,
): { ok: true; body: CollectionConfig } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const body: CollectionConfig = {};

  const enabled = new Set(values.enabledProtocols);
  body.disabledProtocols = CAPTURE_PROTOCOLS.filter(
    (protocol) => !enabled.has(protocol),
  ) as CollectionConfig["disabledProtocols"];

  const numbers = [
    ["sampleOneIn", 1, MAX_SAMPLE_ONE_IN],
    ["recordBudgetPerSecond", 1, MAX_RECORD_BUDGET],
    // 0 is a setting here, not "unset": it switches profiling off.
    ["profileHz", 0, MAX_PROFILE_HZ],
    ["captureBytes", 1, MAX_CAPTURE_BYTES],
  ] as const;
  for (const [field, min, max] of numbers) {
    const parsed = wholeNumber(values[field], min, max);
    if (typeof parsed === "string")
      errors[field] = `Enter ${parsed}, or leave it empty for the agent's default`;
    else if (parsed !== undefined) body[field] = parsed;
  }

  const redact = list(values.redactFields);
  const badField = redact.find((name) => !HEADER_TOKEN.test(name) || name.length > 128);
  if (badField !== undefined) errors.redactFields = `"${badField}" is not a header or parameter name`;
  else if (redact.length > 64) errors.redactFields = "At most 64 names";
  else body.redactFields = redact;

  body.redactSqlLiterals = values.redactSqlLiterals;

  for (const field of ["includeNamespaces", "excludeNamespaces"] as const) {
    const names = list(values[field]);
    const bad = names.find((name) => !NAMESPACE.test(name));
    if (bad !== undefined) errors[field] = `"${bad}" is not a Kubernetes namespace name`;
    else body[field] = names;
  }

  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, body };
}
