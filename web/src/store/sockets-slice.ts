import type { StateCreator } from 'zustand';
import type { ConnectionMeta } from '../../../server/src/transcript/types.ts';
import type { LabState } from './index.ts';

export type SocketPhase = 'connecting' | 'open' | 'closing' | 'closed';

/** What this page knows about one of its own WebSockets (the objects live outside the store). */
export interface BrowserSocketState {
  meta: ConnectionMeta;
  phase: SocketPhase;
  protocol?: string;
  extensions?: string;
  close?: { code: number; reason: string; wasClean: boolean };
}

export interface Status {
  text: string;
  tone: 'info' | 'busy' | 'error';
  /** Step k of n while connecting, for the progress bar. */
  step?: [number, number];
}

export interface SocketsSlice {
  sockets: Record<string, BrowserSocketState>;
  status: Status;
  setSocket: (id: string, update: Partial<BrowserSocketState> & Pick<BrowserSocketState, 'meta'>) => void;
  patchSocket: (id: string, update: Partial<BrowserSocketState>) => void;
  setStatus: (status: Status) => void;
}

export const createSocketsSlice: StateCreator<LabState, [], [], SocketsSlice> = (set) => ({
  sockets: {},
  status: { text: 'Ready. Choose a route and press Connect.', tone: 'info' },
  setSocket: (id, update) =>
    set((s) => ({ sockets: { ...s.sockets, [id]: { phase: 'connecting', ...s.sockets[id], ...update } } })),
  patchSocket: (id, update) =>
    set((s) => {
      const current = s.sockets[id];
      return current ? { sockets: { ...s.sockets, [id]: { ...current, ...update } } } : s;
    }),
  setStatus: (status) => set({ status }),
});
