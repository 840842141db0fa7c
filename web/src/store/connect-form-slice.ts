import type { StateCreator } from 'zustand';
import type { LabState } from './index.ts';

export interface ConnectForm {
  /** 'direct', 'forward-proxy', `reverse-proxy:<preset>` or `nginx:<preset>`. */
  route: string;
  /** Comma-separated, as typed; passed to `new WebSocket(url, protocols)`. */
  subprotocols: string;
  /** Add `protocols=` with the same list, so the echo server accepts them. */
  serverAcceptsProtocols: boolean;
  deflate: boolean;
  heartbeat: string;
  origin: string;
  strict: boolean;
  fault: string;
}

export interface ConnectFormSlice {
  connectForm: ConnectForm;
  /** The id the next connection gets, shown in the URL before it is opened. */
  nextConnectionId: string;
  setConnectForm: (fields: Partial<ConnectForm>) => void;
  rollConnectionId: () => void;
}

/** `c-` and 8 base36 characters: short enough to read aloud, random enough for one session. */
export function newConnectionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return `c-${Array.from(bytes, (b) => (b % 36).toString(36)).join('')}`;
}

export const createConnectFormSlice: StateCreator<LabState, [], [], ConnectFormSlice> = (set) => ({
  connectForm: {
    route: 'direct',
    subprotocols: '',
    serverAcceptsProtocols: true,
    deflate: false,
    heartbeat: '',
    origin: '',
    strict: false,
    fault: '',
  },
  nextConnectionId: newConnectionId(),
  setConnectForm: (fields) => set((s) => ({ connectForm: { ...s.connectForm, ...fields } })),
  rollConnectionId: () => set({ nextConnectionId: newConnectionId() }),
});
