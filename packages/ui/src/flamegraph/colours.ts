// Frame colours: by kind of code in a normal graph (Pixie colours kernel,
// JIT/JavaScript and native frames apart), by change in a diff. Hues come from
// CSS variables (the palette), so dark mode changes them in one place; the
// shade within a kind comes from a hash of the name, so a function keeps its
// colour across refreshes and neighbours stay distinguishable.
import { hsl, interpolateRgb } from "d3";
import { isScopeFrame } from "./scopes";

export type FrameKind = "root" | "scope" | "kernel" | "javascript" | "native" | "unsymbolized";

/**
 * The profiler (issue #12) names kernel frames from kallsyms, Node's JIT frames
 * from /tmp/perf-PID.map (V8 writes "JS:*name file:line", older versions
 * "LazyCompile:*name"), and what it cannot resolve as "module+0xoffset".
 */
export function frameKind(name: string, index: number): FrameKind {
  if (index === 0) return "root";
  if (isScopeFrame(name)) return "scope";
  // The agent writes kernel frames as "name [k]" (perf's marker); "[k] name" and "[kernel]" are read too.
  if (/ \[k\]$/.test(name) || name.startsWith("[k] ") || name.endsWith(" [kernel]")) return "kernel";
  if (
    /^(JS|Eval|LazyCompile|InterpretedFunction|Function|Builtin|RegExp):/.test(name) ||
    /\.(m?js|ts)(:\d+)*\)?$/.test(name)
  )
    return "javascript";
  // "[unknown]", "[no frame pointers]": the agent's markers for stacks it could not resolve.
  if (/\+0x[0-9a-f]+$/i.test(name) || /^\[[a-z ]+\]$/.test(name)) return "unsymbolized";
  return "native";
}

export type Palette = Record<FrameKind, string> & {
  regression: string;
  improvement: string;
  unchanged: string;
  match: string;
  dimmed: string;
};

/** Defaults matching app's light tokens; the component reads the live values from CSS. */
export const DEFAULT_PALETTE: Palette = {
  root: "#94a3b8",
  scope: "#c4b5fd",
  kernel: "#7dd3fc",
  javascript: "#fbbf24",
  native: "#fb923c",
  unsymbolized: "#cbd5e1",
  regression: "#dc2626",
  improvement: "#16a34a",
  unchanged: "#e2e8f0",
  match: "#d946ef",
  dimmed: "#e2e8f0",
};

function nameHash(name: string): number {
  let hash = 2166136261;
  for (let i = 0; i < name.length; i += 1) hash = Math.imul(hash ^ name.charCodeAt(i), 16777619);
  return (hash >>> 0) / 4294967295;
}

/** The kind's hue, lighter or darker by up to ±12 % depending on the name. */
export function frameColour(name: string, index: number, palette: Palette): string {
  const base = hsl(palette[frameKind(name, index)]);
  base.l = Math.min(0.9, Math.max(0.3, base.l + (nameHash(name) - 0.5) * 0.24));
  return base.formatHex();
}

/** Neutral at no change, full red or green at the graph's largest change. */
export function diffColour(
  delta: number,
  maxAbsDelta: number,
  palette: Palette,
  unchangedBelow: number,
): string {
  if (Math.abs(delta) < unchangedBelow || maxAbsDelta <= 0) return palette.unchanged;
  const strength = Math.min(1, Math.abs(delta) / maxAbsDelta);
  // Never fully neutral once past the threshold: a small real change stays visibly tinted.
  const t = 0.25 + 0.75 * strength;
  return interpolateRgb(palette.unchanged, delta > 0 ? palette.regression : palette.improvement)(t);
}
