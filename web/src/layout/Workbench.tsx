import type { CSSProperties } from 'react';
import { useQuery } from '@tanstack/react-query';
import { evictedQuery, transcriptQuery } from '../api/queries.ts';
import { ErrorText } from '../components/ErrorText.tsx';
import { CompareView } from '../features/compare/CompareView.tsx';
import { ViewSwitch } from '../features/compare/ViewSwitch.tsx';
import { ConnectionView } from '../features/connection/ConnectionView.tsx';
import { Inspector } from '../features/connection/Inspector.tsx';
import { ConnectionList } from '../features/connections/ConnectionList.tsx';
import { DroppedNotice } from '../features/session/DroppedNotice.tsx';
import { EvictedNotice } from '../features/session/EvictedNotice.tsx';
import { startNewSession } from '../features/session/use-session.ts';
import { useLabStore } from '../store/index.ts';
import { Pane } from './Pane.tsx';
import { Splitter } from './Splitter.tsx';

function TranscriptError({ session }: { session: string }) {
  // Only `error` is read, so new live data does not re-render this (react-query tracks what is used).
  const { error } = useQuery(transcriptQuery(session));
  // An evicted session's refetch is a 404 too: EvictedNotice says why, with the one button.
  const evicted = useQuery(evictedQuery(session)).data;
  if (!error || evicted) return null;
  const unknown = 'status' in error && error.status === 404;
  return (
    <div className="transcript-error">
      <ErrorText>
        {unknown
          ? `Session ${session} is unknown to this lab: it was restarted, or it forgot the session to stay within its limits.`
          : `Could not load the transcript of session ${session}: ${error.message}`}
      </ErrorText>
      {unknown && (
        <button type="button" onClick={() => void startNewSession()}>
          Start a new session
        </button>
      )}
    </div>
  );
}

/**
 * Connections on the left, the selected connection in the middle, the inspector on the right:
 * one screen, each pane scrolling on its own, the side panes resizable and able to hide.
 * (A presenter view hides the sidebar through the same layout state.)
 */
export function Workbench({ session }: { session: string }) {
  const view = useLabStore((s) => s.mainView);
  const panes = useLabStore((s) => s.layout.panes);
  const inspector = view === 'connection';
  const style = {
    '--sidebar-w': panes.sidebar.open ? `${panes.sidebar.width}px` : 'auto',
    '--inspector-w': inspector && panes.inspector.open ? `${panes.inspector.width}px` : 'auto',
  } as CSSProperties;
  return (
    <main className={`workbench${inspector ? '' : ' no-inspector'}`} style={style}>
      <Pane name="sidebar" title="Connections" noun="connections" className="sidebar">
        <ConnectionList session={session} />
      </Pane>
      {panes.sidebar.open ? <Splitter pane="sidebar" label="Resize connections" /> : <span />}
      <div className="center" id="main-pane">
        <TranscriptError session={session} />
        <DroppedNotice session={session} />
        <EvictedNotice session={session} />
        <ViewSwitch />
        {view === 'compare' ? <CompareView session={session} /> : <ConnectionView session={session} />}
      </div>
      {inspector && (panes.inspector.open ? <Splitter pane="inspector" label="Resize inspector" /> : <span />)}
      {inspector && (
        <Pane name="inspector" title="Inspector" noun="inspector" className="inspector">
          <Inspector session={session} />
        </Pane>
      )}
    </main>
  );
}
