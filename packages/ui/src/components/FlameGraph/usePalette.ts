"use client";

// The canvas cannot use CSS variables directly: read them once from the graph's
// element (FlameGraph.css and app/globals.css define them) and again when the
// colour scheme changes.
import { type RefObject, useEffect, useState } from "react";
import { DEFAULT_PALETTE, type Palette } from "../../flamegraph/colours";

const VARIABLES: Record<keyof Palette, string> = {
  root: "--flame-root",
  scope: "--flame-scope",
  kernel: "--flame-kernel",
  javascript: "--flame-javascript",
  native: "--flame-native",
  unsymbolized: "--flame-unsymbolized",
  regression: "--diff-worse",
  improvement: "--diff-better",
  unchanged: "--flame-unchanged",
  match: "--flame-match",
  dimmed: "--flame-dimmed",
};

export function usePalette(ref: RefObject<HTMLElement | null>): Palette {
  const [palette, setPalette] = useState<Palette>(DEFAULT_PALETTE);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const read = () => {
      const style = getComputedStyle(element);
      const next = { ...DEFAULT_PALETTE };
      for (const [key, variable] of Object.entries(VARIABLES) as [keyof Palette, string][]) {
        const value = style.getPropertyValue(variable).trim();
        if (value !== "") next[key] = value;
      }
      setPalette(next);
    };
    read();
    const scheme = window.matchMedia("(prefers-color-scheme: dark)");
    scheme.addEventListener("change", read);
    const themeObserver = new MutationObserver(read);
    themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    return () => {
      scheme.removeEventListener("change", read);
      themeObserver.disconnect();
    };
  }, [ref]);
  return palette;
}
