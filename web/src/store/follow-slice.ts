import type { StateCreator } from 'zustand';
import { loadOwned, ownedKey, saveOwned } from '../api/owner.ts';
import type { LabState } from './index.ts';

/**
 * Presenter and follow mode. `presenting`: this tab shows one lesson step per screen in large type
 * and publishes its lesson, step and selection. `follow`: a follower's view tracks the presenter's
 * (`following`) until it detaches to explore on its own connections (`detached`).
 */
export type FollowMode = 'off' | 'following' | 'detached';

export interface FollowSlice {
  presenting: boolean;
  follow: FollowMode;
  /** Whether a presenter is publishing in this session (a follower waits for one otherwise). */
  presenterLive: boolean;
  /** What went wrong publishing, or that another tab took over. */
  presenterNotice: string | null;
  /** `<session> <conn>` of every connection this tab opened (and so may act on). */
  owned: readonly string[];
  setPresenting: (presenting: boolean) => void;
  setFollow: (follow: FollowMode) => void;
  setPresenterLive: (live: boolean) => void;
  setPresenterNotice: (notice: string | null) => void;
  addOwned: (session: string, conn: string) => void;
}

export const createFollowSlice: StateCreator<LabState, [], [], FollowSlice> = (set) => ({
  presenting: false,
  follow: 'off',
  presenterLive: false,
  presenterNotice: null,
  owned: typeof window === 'undefined' ? [] : loadOwned(),
  setPresenting: (presenting) => set({ presenting, presenterNotice: null, ...(presenting ? { follow: 'off' as const } : {}) }),
  setFollow: (follow) => set({ follow }),
  setPresenterLive: (presenterLive) => set({ presenterLive }),
  setPresenterNotice: (presenterNotice) => set({ presenterNotice }),
  addOwned: (session, conn) =>
    set((s) => {
      const key = ownedKey(session, conn);
      if (s.owned.includes(key)) return s;
      const owned = [...s.owned, key];
      saveOwned(owned);
      return { owned };
    }),
});
