import type { StateCreator } from 'zustand';
import type { LabState } from './index.ts';

export type Theme = 'system' | 'light' | 'dark';
export type PaneName = 'sidebar' | 'inspector';

export interface PaneState {
  open: boolean;
  /** In px, as the user dragged it. */
  width: number;
}

export interface Layout {
  theme: Theme;
  panes: Record<PaneName, PaneState>;
  /** The composer's "Ask the echo server" section. */
  serverActionsOpen: boolean;
}

export interface LayoutSlice {
  layout: Layout;
  setTheme: (theme: Theme) => void;
  setPane: (name: PaneName, pane: Partial<PaneState>) => void;
  setServerActionsOpen: (open: boolean) => void;
}

export const PANE_LIMITS: Record<PaneName, { min: number; max: number; initial: number }> = {
  sidebar: { min: 160, max: 480, initial: 230 },
  inspector: { min: 260, max: 760, initial: 380 },
};

const KEY = 'ws-upgrade-lab/layout';

export const DEFAULT_LAYOUT: Layout = {
  theme: 'system',
  panes: { sidebar: { open: true, width: PANE_LIMITS.sidebar.initial }, inspector: { open: true, width: PANE_LIMITS.inspector.initial } },
  serverActionsOpen: false,
};

const clampWidth = (name: PaneName, width: number) => Math.round(Math.min(PANE_LIMITS[name].max, Math.max(PANE_LIMITS[name].min, width)));

/** The layout this browser saved last time; anything unreadable falls back to the default. */
export function loadLayout(): Layout {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<Layout> | null;
    if (!saved || typeof saved !== 'object') return DEFAULT_LAYOUT;
    const theme = saved.theme === 'light' || saved.theme === 'dark' ? saved.theme : 'system';
    const pane = (name: PaneName): PaneState => {
      const p = saved.panes?.[name];
      return {
        open: typeof p?.open === 'boolean' ? p.open : true,
        width: typeof p?.width === 'number' ? clampWidth(name, p.width) : PANE_LIMITS[name].initial,
      };
    };
    return { theme, panes: { sidebar: pane('sidebar'), inspector: pane('inspector') }, serverActionsOpen: saved.serverActionsOpen === true };
  } catch {
    return DEFAULT_LAYOUT;
  }
}

export function saveLayout(layout: Layout): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(layout));
  } catch {
    // Storage full or denied: the layout simply is not remembered.
  }
}

export const createLayoutSlice: StateCreator<LabState, [], [], LayoutSlice> = (set) => ({
  layout: typeof localStorage === 'undefined' ? DEFAULT_LAYOUT : loadLayout(),
  setTheme: (theme) => set((s) => ({ layout: { ...s.layout, theme } })),
  setPane: (name, pane) =>
    set((s) => {
      const next = { ...s.layout.panes[name], ...pane };
      next.width = clampWidth(name, next.width);
      return { layout: { ...s.layout, panes: { ...s.layout.panes, [name]: next } } };
    }),
  setServerActionsOpen: (serverActionsOpen) => set((s) => ({ layout: { ...s.layout, serverActionsOpen } })),
});
