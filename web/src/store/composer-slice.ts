import type { StateCreator } from 'zustand';
import type { LabState } from './index.ts';

export interface ComposerFields {
  text: string;
  hex: string;
  clientCloseCode: string;
  clientCloseReason: string;
  serverCloseCode: string;
  serverCloseReason: string;
  pingPayload: string;
  fragments: string;
}

export interface Notice {
  tone: 'info' | 'error';
  text: string;
}

export interface ComposerSlice {
  composer: ComposerFields;
  /** What the last composer action did, or why it failed. */
  composerNotice: Notice | null;
  /** What the last copy button did. */
  copyStatus: Notice | null;
  setComposer: (fields: Partial<ComposerFields>) => void;
  setComposerNotice: (notice: Notice | null) => void;
  setCopyStatus: (notice: Notice | null) => void;
}

export const createComposerSlice: StateCreator<LabState, [], [], ComposerSlice> = (set) => ({
  composer: {
    text: 'Hello, WebSocket',
    hex: '01 02 03 ff',
    clientCloseCode: '1000',
    clientCloseReason: 'done',
    serverCloseCode: '4000',
    serverCloseReason: 'done',
    pingPayload: 'are you there?',
    fragments: '3',
  },
  composerNotice: null,
  copyStatus: null,
  setComposer: (fields) => set((s) => ({ composer: { ...s.composer, ...fields } })),
  setComposerNotice: (composerNotice) => set({ composerNotice }),
  setCopyStatus: (copyStatus) => set({ copyStatus }),
});
