"use client";

import { type FormEvent, useEffect, useId, useState } from "react";
import { asObject } from "../../api/jsonFields";
import { sendJson } from "../../api/sendJson";
import type { Agent, StoredConfig } from "../../api/types";
import {
  CAPTURE_PROTOCOLS,
  type ConfigFormValues,
  configToForm,
  type FieldErrors,
  formToConfig,
  MAX_CAPTURE_BYTES,
  MAX_PROFILE_HZ,
} from "./configForm";

type Loaded =
  | { state: "loading" }
  | { state: "ready"; stored: StoredConfig | undefined }
  | { state: "error"; message: string };

function parseStored(body: unknown): StoredConfig | undefined {
  const object = asObject(body);
  return object && typeof object.version === "number" && asObject(object.config)
    ? (object as unknown as StoredConfig)
    : undefined;
}

async function loadFleetConfig(signal: AbortSignal): Promise<Loaded> {
  let response: Response;
  try {
    response = await fetch("/api/v1/agents/config", { signal, cache: "no-store" });
  } catch (error) {
    if (signal.aborted) throw error;
    return { state: "error", message: `network error: ${String(error)}` };
  }
  // 404: no fleet config was ever set; agents run their own defaults.
  if (response.status === 404) return { state: "ready", stored: undefined };
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = asObject(asObject(body)?.error);
    return {
      state: "error",
      message: `HTTP ${response.status}: ${String(error?.message ?? response.statusText)}`,
    };
  }
  const stored = parseStored(body);
  return stored ? { state: "ready", stored } : { state: "error", message: "unexpected response shape" };
}

/** The fleet's collection config: load, edit, PUT, then watch the agents apply it. */
export function ConfigEditor({ agents }: { agents: Agent[] | undefined }) {
  const [loaded, setLoaded] = useState<Loaded>({ state: "loading" });
  const [values, setValues] = useState<ConfigFormValues>(() => configToForm(undefined));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | undefined>();
  const [saved, setSaved] = useState<{ version: number; pushedTo: number } | undefined>();
  const id = useId();

  useEffect(() => {
    const controller = new AbortController();
    loadFleetConfig(controller.signal)
      .then((result) => {
        setLoaded(result);
        if (result.state === "ready" && result.stored) setValues(configToForm(result.stored.config));
      })
      .catch(() => {});
    return () => controller.abort();
  }, []);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = formToConfig(values);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setSaving(true);
    setSaveError(undefined);
    const result = await sendJson("/api/v1/agents/config", "PUT", checked.body, (body) => {
      const object = asObject(body);
      return object && typeof object.version === "number"
        ? { version: object.version, pushedTo: typeof object.pushedTo === "number" ? object.pushedTo : 0 }
        : undefined;
    });
    setSaving(false);
    if (result.ok) setSaved(result.value);
    else setSaveError(result.message);
  };

  const set = <K extends keyof ConfigFormValues>(key: K, value: ConfigFormValues[K]) =>
    setValues((previous) => ({ ...previous, [key]: value }));

  const field = (key: keyof ConfigFormValues, label: string, hint: string, inputMode: "numeric" | "text") => (
    <div className="config-field">
      <label htmlFor={`${id}-${key}`}>{label}</label>
      <input
        id={`${id}-${key}`}
        name={key}
        inputMode={inputMode}
        value={values[key] as string}
        onChange={(event) => set(key, event.target.value as never)}
        aria-invalid={errors[key] ? true : undefined}
        aria-describedby={`${id}-${key}-hint`}
        data-testid={`config-${key}`}
      />
      <p id={`${id}-${key}-hint`} className={errors[key] ? "config-field__error" : "config-field__hint"}>
        {errors[key] ?? hint}
      </p>
    </div>
  );

  if (loaded.state === "loading") return <p className="muted">Loading the fleet config…</p>;
  if (loaded.state === "error") {
    return (
      <p role="alert" className="agents-error">
        Cannot load the fleet config: {loaded.message}
      </p>
    );
  }

  const stored = loaded.stored;
  return (
    <form
      className="config-editor"
      onSubmit={onSubmit}
      aria-labelledby={`${id}-title`}
      data-testid="config-editor"
    >
      <h2 id={`${id}-title`}>Collection config (all agents)</h2>
      <p className="muted" data-testid="config-current">
        {stored
          ? `Version ${stored.version}, set by ${stored.updatedBy} at ${new Date(stored.updatedAt).toLocaleString()}`
          : "No fleet config set yet: agents run their own defaults."}
      </p>
      <fieldset className="config-protocols">
        <legend>Protocols captured</legend>
        {CAPTURE_PROTOCOLS.map((protocol) => (
          <label key={protocol} className="config-check">
            <input
              type="checkbox"
              name="protocol"
              value={protocol}
              checked={values.enabledProtocols.includes(protocol)}
              onChange={(event) =>
                set(
                  "enabledProtocols",
                  event.target.checked
                    ? [...values.enabledProtocols, protocol]
                    : values.enabledProtocols.filter((p) => p !== protocol),
                )
              }
            />
            {protocol}
          </label>
        ))}
        <p className="config-field__hint">gRPC rides HTTP/2: it is captured with http2.</p>
      </fieldset>
      <div className="config-grid">
        {field("sampleOneIn", "Keep 1 in N connections", "Empty: keep every connection", "numeric")}
        {field(
          "recordBudgetPerSecond",
          "Record budget per second",
          "Request records each agent sends per second (errors and slow ones first); metrics still count every request. Empty: agent default",
          "numeric",
        )}
        {field(
          "profileHz",
          "CPU profiling (samples/s)",
          `Per CPU, 0 to ${MAX_PROFILE_HZ}; 0 switches profiling off. Empty: agent default (97)`,
          "numeric",
        )}
        {field(
          "captureBytes",
          "Capture bytes per call",
          `Payload bytes captured per syscall, up to ${MAX_CAPTURE_BYTES.toLocaleString("en-US")}. Empty: agent default`,
          "numeric",
        )}
        {field(
          "redactFields",
          "Redact fields",
          "Header and query parameter names whose values are hidden, comma-separated (added to the agent's own)",
          "text",
        )}
        {field("includeNamespaces", "Only namespaces", "Comma-separated; empty: all", "text")}
        {field("excludeNamespaces", "Skip namespaces", "Comma-separated", "text")}
      </div>
      <label className="config-check">
        <input
          type="checkbox"
          checked={values.redactSqlLiterals}
          onChange={(event) => set("redactSqlLiterals", event.target.checked)}
          data-testid="config-redactSqlLiterals"
        />
        Redact literals in SQL statements
      </label>
      <div className="config-actions">
        <button type="submit" className="button button--primary" disabled={saving} data-testid="config-save">
          {saving ? "Saving…" : "Save and push to agents"}
        </button>
        {saveError ? (
          <p role="alert" className="agents-error" data-testid="config-error">
            {saveError}
          </p>
        ) : null}
        {saved ? <ApplyProgress saved={saved} agents={agents} /> : null}
      </div>
    </form>
  );
}

function ApplyProgress({
  saved,
  agents,
}: {
  saved: { version: number; pushedTo: number };
  agents: Agent[] | undefined;
}) {
  const connected = (agents ?? []).filter((agent) => agent.config.connected);
  const applied = connected.filter((agent) => agent.config.appliedVersion >= saved.version);
  const done = connected.length > 0 && applied.length === connected.length;
  return (
    <p role="status" className={done ? "agents-ok" : "muted"} data-testid="config-progress" data-done={done}>
      Saved version {saved.version}, sent to {saved.pushedTo} connected agent{saved.pushedTo === 1 ? "" : "s"}
      .{" "}
      {done
        ? `Applied by all ${connected.length}.`
        : `Applied by ${applied.length} of ${connected.length} connected; waiting…`}
    </p>
  );
}
