import type { StateCreator } from 'zustand';
import type { LabState } from './index.ts';

export interface SessionSlice {
  /** The session every WebSocket of this page is filed under (`lab=` in its URL). */
  sessionId: string | null;
  sessionError: string | null;
  setSession: (sessionId: string) => void;
  setSessionError: (message: string | null) => void;
  /** How opening a file went (Open…, or a file dropped on the window); null when nothing to say. */
  fileNotice: { tone: 'info' | 'error'; text: string } | null;
  setFileNotice: (notice: { tone: 'info' | 'error'; text: string } | null) => void;
}

export const createSessionSlice: StateCreator<LabState, [], [], SessionSlice> = (set) => ({
  sessionId: null,
  sessionError: null,
  // This page's sockets belong to the session they were opened in: a new session starts with none.
  setSession: (sessionId) =>
    set((s) =>
      s.sessionId === sessionId
        ? s
        : { sessionId, sessionError: null, selectedConnection: null, selectedFrame: null, selectedHop: null, expanded: [], sockets: {} },
    ),
  setSessionError: (sessionError) => set({ sessionError }),
  fileNotice: null,
  setFileNotice: (fileNotice) => set({ fileNotice }),
});
