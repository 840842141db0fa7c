import { useLabStore, type Theme } from '../store/index.ts';

/** System, light or dark; remembered in this browser. */
export function ThemeToggle() {
  const theme = useLabStore((s) => s.layout.theme);
  const setTheme = useLabStore((s) => s.setTheme);
  return (
    <span className="theme-toggle">
      <label htmlFor="theme" className="visually-hidden">
        Theme
      </label>
      <select id="theme" value={theme} onChange={(e) => setTheme(e.target.value as Theme)} title="Theme: Auto follows the system (prefers-color-scheme)">
        <option value="system">◐ Auto</option>
        <option value="light">☀ Light</option>
        <option value="dark">☾ Dark</option>
      </select>
    </span>
  );
}
