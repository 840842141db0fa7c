import type { CSSProperties } from 'react';
import { useQuery } from '@tanstack/react-query';
import { evictedQuery, transcriptQuery } from '../api/queries.ts';
import { ErrorText } from '../components/ErrorText.tsx';
import { CompareView } from '../features/compare/CompareView.tsx';
import { ViewSwitch } from '../features/compare/ViewSwitch.tsx';
import { ConnectionView } from '../features/connection/ConnectionView.tsx';
import { Inspector } from '../features/connection/Inspector.tsx';
import { ConnectionList } from '../features/connections/ConnectionList.tsx';
import { Catalogue } from '../features/lessons/Catalogue.tsx';
import { LessonPlayer } from '../features/lessons/LessonPlayer.tsx';
import { FollowBanner } from '../features/follow/FollowBanner.tsx';
import { PresenterView } from '../features/follow/PresenterView.tsx';
import { ReadOnlyNotice } from '../features/import/ReadOnlyNotice.tsx';
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

/** A lesson's narration needs this much room; a narrower sidebar widens while one plays. */
const LESSON_MIN_WIDTH = 340;

function CenterView({ session }: { session: string }) {
  const view = useLabStore((s) => s.mainView);
  if (view === 'compare') return <CompareView session={session} />;
  if (view === 'lessons') return <Catalogue session={session} />;
  return <ConnectionView session={session} />;
}

/**
 * Connections on the left, the selected connection in the middle, the inspector on the right:
 * one screen, each pane scrolling on its own, the side panes resizable and able to hide.
 * While a lesson plays, the left pane is its player, above the connections.
 * Presenter mode has a layout of its own (features/follow/PresenterView.tsx): the step and the main view.
 */
export function Workbench({ session }: { session: string }) {
  const view = useLabStore((s) => s.mainView);
  const presenting = useLabStore((s) => s.presenting);
  const panes = useLabStore((s) => s.layout.panes);
  const lesson = useLabStore((s) => s.lessonProgress);
  const inspector = view === 'connection';
  const sidebarWidth = lesson ? Math.max(panes.sidebar.width, LESSON_MIN_WIDTH) : panes.sidebar.width;
  const style = {
    '--sidebar-w': panes.sidebar.open ? `${sidebarWidth}px` : 'auto',
    '--inspector-w': inspector && panes.inspector.open ? `${panes.inspector.width}px` : 'auto',
  } as CSSProperties;
  const center = (
    <>
      <TranscriptError session={session} />
      <ReadOnlyNotice session={session} />
      <DroppedNotice session={session} />
      <EvictedNotice session={session} />
      <FollowBanner />
      <ViewSwitch />
      <CenterView session={session} />
    </>
  );
  if (presenting) return <PresenterView session={session} center={center} />;
  return (
    <main className={`workbench${inspector ? '' : ' no-inspector'}`} style={style}>
      <Pane name="sidebar" title={lesson ? 'Lesson' : 'Connections'} noun={lesson ? 'lesson' : 'connections'} className="sidebar">
        {lesson ? (
          <>
            <LessonPlayer session={session} progress={lesson} />
            <h3 className="sidebar-subheading">All connections</h3>
            <ConnectionList session={session} />
          </>
        ) : (
          <ConnectionList session={session} />
        )}
      </Pane>
      {panes.sidebar.open ? <Splitter pane="sidebar" label="Resize connections" /> : <span />}
      <div className="center" id="main-pane">
        {center}
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
