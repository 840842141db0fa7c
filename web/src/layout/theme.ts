import { useEffect } from 'react';
import { saveLayout } from '../store/layout-slice.ts';
import { useLabStore } from '../store/index.ts';

/** Light or dark as chosen, or as the system prefers (prefers-color-scheme), on <html data-theme>. */
export function useTheme(): void {
  const theme = useLabStore((s) => s.layout.theme);
  useEffect(() => {
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = () => {
      document.documentElement.dataset.theme = theme === 'system' ? (media.matches ? 'dark' : 'light') : theme;
    };
    apply();
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [theme]);
}

/** The layout (theme, panes) is remembered in this browser. */
export function usePersistLayout(): void {
  useEffect(() => useLabStore.subscribe((s, before) => s.layout !== before.layout && saveLayout(s.layout)), []);
}
