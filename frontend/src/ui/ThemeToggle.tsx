import { useEffect, useState } from "react";
import { applyTheme, effectiveTheme, saveTheme, storedTheme } from "./theme.ts";

/** One button: switches between light and dark and remembers it. */
export function ThemeToggle() {
  const [theme, setTheme] = useState(() => effectiveTheme());
  useEffect(() => {
    // Follow the system while nothing is chosen.
    const media = window.matchMedia?.("(prefers-color-scheme: dark)");
    const follow = () => {
      if (storedTheme() === "system") {
        applyTheme();
        setTheme(effectiveTheme());
      }
    };
    media?.addEventListener?.("change", follow);
    return () => media?.removeEventListener?.("change", follow);
  }, []);
  const next = theme === "dark" ? "light" : "dark";
  return (
    <button
      type="button"
      className="icon-button"
      aria-label={`Switch to ${next} theme`}
      title={`Switch to ${next} theme`}
      data-testid="theme-toggle"
      onClick={() => {
        saveTheme(next);
        setTheme(next);
      }}
    >
      {theme === "dark" ? (
        <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
          <circle cx="10" cy="10" r="4" fill="currentColor" />
          <g stroke="currentColor" strokeWidth="1.6" strokeLinecap="round">
            <path d="M10 1.5v2M10 16.5v2M1.5 10h2M16.5 10h2M4 4l1.4 1.4M14.6 14.6 16 16M4 16l1.4-1.4M14.6 5.4 16 4" />
          </g>
        </svg>
      ) : (
        <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
          <path d="M15.5 12.5A6.5 6.5 0 0 1 7.5 4.5a6.5 6.5 0 1 0 8 8Z" fill="currentColor" />
        </svg>
      )}
    </button>
  );
}
