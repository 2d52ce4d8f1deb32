// Light, dark, or whatever the system prefers; the choice is remembered in this browser.

export type ThemeChoice = "light" | "dark" | "system";
const KEY = "sightline.theme";

export function storedTheme(): ThemeChoice {
  try {
    const v = window.localStorage.getItem(KEY);
    return v === "light" || v === "dark" ? v : "system";
  } catch {
    return "system";
  }
}

/** The theme actually shown. */
export function effectiveTheme(choice: ThemeChoice = storedTheme()): "light" | "dark" {
  if (choice !== "system") return choice;
  return window.matchMedia?.("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

/** Sets `data-theme` on <html>, which the stylesheet's variables follow. */
export function applyTheme(choice: ThemeChoice = storedTheme()): void {
  document.documentElement.dataset.theme = effectiveTheme(choice);
}

export function saveTheme(choice: ThemeChoice): void {
  try {
    if (choice === "system") window.localStorage.removeItem(KEY);
    else window.localStorage.setItem(KEY, choice);
  } catch {
    // Not remembered; still applied for this page.
  }
  applyTheme(choice);
}
