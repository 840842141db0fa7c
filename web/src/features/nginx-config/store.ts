import { create } from 'zustand';
import type { NginxConfigResult, NginxPitfallVerdict } from '../../../../server/src/api/types.ts';

/** Where a run through the pasted config is. */
export type RunState =
  | { phase: 'idle' }
  | { phase: 'connecting' | 'echo' | 'closing' | 'plain' | 'judging'; conn: string }
  | { phase: 'quiet'; conn: string; startedAt: number; totalMs: number }
  | { phase: 'done'; conn: string; verdicts: NginxPitfallVerdict[] }
  | { phase: 'failed'; conn?: string; error: string };

/**
 * The panel's own state, kept while the dialog is closed: the text as typed, what the lab said
 * about it, and the run. Server data for it is this one result, so it lives here rather than
 * in the query cache.
 */
export interface NginxConfigState {
  open: boolean;
  text: string;
  /** '' for the echo server, else an --upstream name. */
  upstream: string;
  heartbeat: string;
  skipQuiet: boolean;
  checking: boolean;
  result: NginxConfigResult | null;
  /** The config of this panel that real nginx runs now: a new check replaces it. */
  runningId: string | null;
  /** The text the result is about; when `text` differs, the result is stale. */
  checkedText: string | null;
  requestError: string | null;
  run: RunState;
  set: (patch: Partial<Omit<NginxConfigState, 'set'>>) => void;
}

export const useNginxConfigStore = create<NginxConfigState>()((set) => ({
  open: false,
  text: '',
  upstream: '',
  heartbeat: '',
  skipQuiet: false,
  checking: false,
  result: null,
  runningId: null,
  checkedText: null,
  requestError: null,
  run: { phase: 'idle' },
  set: (patch) => set(patch),
}));
