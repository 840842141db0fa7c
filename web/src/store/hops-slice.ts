import type { StateCreator } from 'zustand';
import type { LabState } from './index.ts';

export interface HopsSlice {
  /** The arrow selected in the Hops tab, per connection so switching connections does not carry it over. */
  selectedHop: { conn: string; step: string } | null;
  selectHop: (conn: string, step: string | null) => void;
}

export const createHopsSlice: StateCreator<LabState, [], [], HopsSlice> = (set) => ({
  selectedHop: null,
  selectHop: (conn, step) => set({ selectedHop: step === null ? null : { conn, step } }),
});
