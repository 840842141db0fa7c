import type { StateCreator } from 'zustand';
import type { LabState } from './index.ts';

export interface HopsSlice {
  /** The arrow selected in the Hops tab (a step id), for the selected connection. */
  selectedHop: string | null;
  selectHop: (step: string | null) => void;
}

export const createHopsSlice: StateCreator<LabState, [], [], HopsSlice> = (set) => ({
  selectedHop: null,
  selectHop: (selectedHop) => set({ selectedHop }),
});
