import type { StateCreator } from 'zustand';
import type { LabState } from './index.ts';

export type ConnectionTab = 'handshake' | 'frames' | 'close' | 'hops';

export interface SelectionSlice {
  selectedConnection: string | null;
  /** The selected frame's seq. */
  selectedFrame: number | null;
  activeTab: ConnectionTab;
  /** Frames tab filter: 'all', `observer:<party>` or `leg:<observer>:<a>|<b>`. */
  frameFilter: string;
  selectConnection: (id: string | null) => void;
  selectFrame: (seq: number | null) => void;
  setActiveTab: (tab: ConnectionTab) => void;
  setFrameFilter: (filter: string) => void;
}

export const createSelectionSlice: StateCreator<LabState, [], [], SelectionSlice> = (set) => ({
  selectedConnection: null,
  selectedFrame: null,
  activeTab: 'handshake',
  frameFilter: 'all',
  selectConnection: (selectedConnection) =>
    set((s) =>
      s.selectedConnection === selectedConnection
        ? s
        : { selectedConnection, selectedFrame: null, frameFilter: 'all', composerNotice: null },
    ),
  selectFrame: (selectedFrame) => set({ selectedFrame }),
  setActiveTab: (activeTab) => set({ activeTab }),
  setFrameFilter: (frameFilter) => set({ frameFilter }),
});
