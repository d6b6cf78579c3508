import { describe, expect, it } from "vitest";
import { CAPTURE_PROTOCOLS, configToForm, formToConfig } from "./configForm";

describe("config form", () => {
  it("lists the protocols the API's schema accepts, without gRPC", () => {
    expect(CAPTURE_PROTOCOLS).toContain("http");
    expect(CAPTURE_PROTOCOLS).toContain("postgres");
    expect(CAPTURE_PROTOCOLS).not.toContain("grpc");
  });

  it("round-trips a stored config", () => {
    const stored = {
      disabledProtocols: ["mysql", "kafka"] as ("mysql" | "kafka")[],
      sampleOneIn: 4,
      recordBudgetPerSecond: 500,
      profileHz: 0,
      captureBytes: 4096,
      redactFields: ["authorization", "token"],
      redactSqlLiterals: true,
      includeNamespaces: ["shop"],
      excludeNamespaces: [],
    };
    const result = formToConfig(configToForm(stored));
    expect(result).toEqual({ ok: true, body: stored });
  });

  it("keeps a profiling rate of 0 (off) and refuses one past 499 Hz", () => {
    const off = formToConfig({ ...configToForm(undefined), profileHz: "0" });
    expect(off.ok && off.body.profileHz).toBe(0);
    const tooFast = formToConfig({ ...configToForm(undefined), profileHz: "1000" });
    expect(tooFast.ok ? undefined : tooFast.errors.profileHz).toMatch(/between 0 and 499/);
  });

  it("empty number fields mean the agent's default and are left out", () => {
    const result = formToConfig(configToForm(undefined));
    expect(result.ok && result.body).toEqual({
      disabledProtocols: [],
      redactFields: [],
      redactSqlLiterals: false,
      includeNamespaces: [],
      excludeNamespaces: [],
    });
  });

  it("says what is wrong with each bad field", () => {
    const values = {
      ...configToForm(undefined),
      captureBytes: "99999",
      sampleOneIn: "1.5",
      redactFields: "authorization, bad header",
      includeNamespaces: "Shop",
    };
    const result = formToConfig(values);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.captureBytes).toBe(
      "Enter between 1 and 16,384, or leave it empty for the agent's default",
    );
    expect(result.errors.sampleOneIn).toBe("Enter a whole number, or leave it empty for the agent's default");
    // Split on spaces and commas: "bad" and "header" are both valid tokens, so the list is fine.
    expect(result.errors.redactFields).toBeUndefined();
    expect(result.errors.includeNamespaces).toBe('"Shop" is not a Kubernetes namespace name');
  });

  it("refuses a redact name with characters a header name cannot have", () => {
    const result = formToConfig({ ...configToForm(undefined), redactFields: "x-api-key, pass:word" });
    expect(result.ok === false && result.errors.redactFields).toBe(
      '"pass:word" is not a header or parameter name',
    );
  });
});
