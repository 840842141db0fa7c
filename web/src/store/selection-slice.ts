import type { StateCreator } from 'zustand';
import { NO_FILTER, type MessageFilter } from '../features/messages/message-filter.ts';
import type { LabState } from './index.ts';

export type ConnectionTab = 'handshake' | 'frames' | 'close' | 'hops';
export const CONNECTION_TABS: readonly ConnectionTab[] = ['handshake', 'frames', 'close', 'hops'];

/** How the inspector shows a payload. */
export type PayloadView = 'text' | 'json' | 'hex' | 'base64';

export interface SelectionSlice {
  selectedConnection: string | null;
  /** The selected frame's seq; a message is selected through its first frame. */
  selectedFrame: number | null;
  /** The selection is that frame's own row in an opened message, not its message's row. */
  frameRowSelected: boolean;
  activeTab: ConnectionTab;
  /** What the Frames tab lists. */
  messageFilter: MessageFilter;
  /** Messages (by index) opened into their frames in the Frames list. */
  expanded: number[];
  payloadView: PayloadView | null;
  selectConnection: (id: string | null) => void;
  selectFrame: (seq: number | null, frameRow?: boolean) => void;
  setActiveTab: (tab: ConnectionTab) => void;
  setMessageFilter: (filter: Partial<MessageFilter>) => void;
  clearMessageFilter: () => void;
  setExpanded: (index: number, open: boolean) => void;
  setPayloadView: (view: PayloadView | null) => void;
}

export const createSelectionSlice: StateCreator<LabState, [], [], SelectionSlice> = (set) => ({
  selectedConnection: null,
  selectedFrame: null,
  frameRowSelected: false,
  activeTab: 'handshake',
  messageFilter: NO_FILTER,
  expanded: [],
  payloadView: null,
  selectConnection: (selectedConnection) =>
    set((s) =>
      s.selectedConnection === selectedConnection
        ? s
        : { selectedConnection, selectedFrame: null, selectedHop: null, messageFilter: NO_FILTER, expanded: [], composerNotice: null },
    ),
  selectFrame: (selectedFrame, frameRow = false) => set({ selectedFrame, frameRowSelected: frameRow }),
  setActiveTab: (activeTab) => set({ activeTab }),
  setMessageFilter: (filter) => set((s) => ({ messageFilter: { ...s.messageFilter, ...filter } })),
  clearMessageFilter: () => set({ messageFilter: NO_FILTER }),
  setExpanded: (index, open) =>
    set((s) => {
      const has = s.expanded.includes(index);
      if (has === open) return s;
      return { expanded: open ? [...s.expanded, index] : s.expanded.filter((i) => i !== index) };
    }),
  setPayloadView: (payloadView) => set({ payloadView }),
});
