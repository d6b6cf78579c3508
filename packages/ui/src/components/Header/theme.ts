// Theme choice: "system" follows prefers-color-scheme; "light"/"dark" pin it via
// <html data-theme>, which globals.css reads. Stored per browser.

export type ThemeChoice = "system" | "light" | "dark";

export const THEME_STORAGE_KEY = "periscope-theme";

const ORDER: readonly ThemeChoice[] = ["system", "light", "dark"];

export function nextTheme(current: ThemeChoice): ThemeChoice {
  return ORDER[(ORDER.indexOf(current) + 1) % ORDER.length] ?? "system";
}

export function parseTheme(stored: string | null): ThemeChoice {
  return stored === "light" || stored === "dark" ? stored : "system";
}

/**
 * Runs in <head> before first paint, so a pinned dark theme never flashes light.
 * Kept tiny and self-contained: it is inlined as text.
 */
export const THEME_BOOT_SCRIPT = `try{var t=localStorage.getItem("${THEME_STORAGE_KEY}");if(t==="light"||t==="dark")document.documentElement.dataset.theme=t}catch(e){}`;
