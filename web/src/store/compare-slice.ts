import type { StateCreator } from 'zustand';
import type { LabState } from './index.ts';

/** What the main pane shows: one connection in detail, two side by side, or the lessons catalogue. */
export type MainView = 'connection' | 'compare' | 'lessons';

export interface CompareState {
  left: string | null;
  right: string | null;
  /** Route key of the proxied side of a run: `reverse-proxy:<preset>` or `nginx:<preset>`. */
  route: string;
  message: string;
  /** A "compare direct with preset" run is in flight. */
  running: boolean;
  error: string | null;
}

export interface CompareSlice {
  mainView: MainView;
  compare: CompareState;
  setMainView: (view: MainView) => void;
  setCompare: (fields: Partial<CompareState>) => void;
}

export const createCompareSlice: StateCreator<LabState, [], [], CompareSlice> = (set) => ({
  mainView: 'connection',
  compare: { left: null, right: null, route: 'reverse-proxy:nginx-websocket', message: 'Hello, WebSocket', running: false, error: null },
  setMainView: (mainView) => set({ mainView }),
  setCompare: (fields) => set((s) => ({ compare: { ...s.compare, ...fields } })),
});
