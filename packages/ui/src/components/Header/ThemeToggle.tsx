"use client";

import { useEffect, useState } from "react";
import { nextTheme, parseTheme, THEME_STORAGE_KEY, type ThemeChoice } from "./theme";

const LABELS: Record<ThemeChoice, string> = {
  system: "Theme: system",
  light: "Theme: light",
  dark: "Theme: dark",
};
const ICONS: Record<ThemeChoice, string> = { system: "◐", light: "☀", dark: "☾" };

export function ThemeToggle() {
  const [theme, setTheme] = useState<ThemeChoice>("system");
  useEffect(() => {
    try {
      setTheme(parseTheme(localStorage.getItem(THEME_STORAGE_KEY)));
    } catch {
      // Storage blocked (privacy mode): the system theme it is.
    }
  }, []);

  const choose = () => {
    const next = nextTheme(theme);
    setTheme(next);
    if (next === "system") delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = next;
    try {
      if (next === "system") localStorage.removeItem(THEME_STORAGE_KEY);
      else localStorage.setItem(THEME_STORAGE_KEY, next);
    } catch {
      // Not persisted; the choice still holds for this page.
    }
  };

  return (
    <button
      type="button"
      className="header-control header-control--icon"
      onClick={choose}
      aria-label={`${LABELS[theme]} (change)`}
      title={LABELS[theme]}
      data-testid="theme-toggle"
      data-theme-choice={theme}
    >
      <span aria-hidden="true">{ICONS[theme]}</span>
    </button>
  );
}
