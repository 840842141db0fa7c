import { create } from 'zustand';
import { createCompareSlice, type CompareSlice } from './compare-slice.ts';
import { createComposerSlice, type ComposerSlice } from './composer-slice.ts';
import { createConnectFormSlice, type ConnectFormSlice } from './connect-form-slice.ts';
import { createFollowSlice, type FollowSlice } from './follow-slice.ts';
import { createHopsSlice, type HopsSlice } from './hops-slice.ts';
import { createLayoutSlice, type LayoutSlice } from './layout-slice.ts';
import { createLessonSlice, type LessonSlice } from './lesson-slice.ts';
import { createSelectionSlice, type SelectionSlice } from './selection-slice.ts';
import { createSessionSlice, type SessionSlice } from './session-slice.ts';
import { createSocketsSlice, type SocketsSlice } from './sockets-slice.ts';

/**
 * UI state only: which session, what is selected, what the forms hold. Server data lives in
 * the react-query cache; live WebSocket objects in a module-level Map (features/connect).
 * Select one value per hook, or several through `useShallow`.
 */
export type LabState = SessionSlice &
  SelectionSlice &
  ComposerSlice &
  ConnectFormSlice &
  SocketsSlice &
  HopsSlice &
  CompareSlice &
  LayoutSlice &
  LessonSlice &
  FollowSlice;

export const useLabStore = create<LabState>()((...a) => ({
  ...createSessionSlice(...a),
  ...createSelectionSlice(...a),
  ...createComposerSlice(...a),
  ...createConnectFormSlice(...a),
  ...createSocketsSlice(...a),
  ...createHopsSlice(...a),
  ...createCompareSlice(...a),
  ...createLayoutSlice(...a),
  ...createLessonSlice(...a),
  ...createFollowSlice(...a),
}));

export type { ConnectionTab, PayloadView } from './selection-slice.ts';
export { CONNECTION_TABS } from './selection-slice.ts';
export type { Layout, PaneName, PaneState, Theme } from './layout-slice.ts';
export type { BrowserSocketState, SocketPhase, Status } from './sockets-slice.ts';
export type { ComposerFields, Notice } from './composer-slice.ts';
export type { ConnectForm } from './connect-form-slice.ts';
export type { CompareState, MainView } from './compare-slice.ts';
export type { LessonMark, StepRun } from './lesson-slice.ts';
export type { FollowMode } from './follow-slice.ts';
