import { useLayoutEffect } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useLiveTranscript } from './api/live.ts';
import { transcriptQuery } from './api/queries.ts';
import { ErrorText } from './components/ErrorText.tsx';
import { StatusLine } from './features/connect/StatusLine.tsx';
import { CopyStatus } from './features/copy/CopyStatus.tsx';
import { useFollowFlag, usePresenterPublish } from './features/follow/presenter-sync.ts';
import { useUrlSync } from './features/navigation/use-url-sync.ts';
import { useFileDrop } from './features/import/use-file-drop.ts';
import { useSessionBootstrap } from './features/session/use-session.ts';
import { usePersistLayout, useTheme } from './layout/theme.ts';
import { TopBar } from './layout/TopBar.tsx';
import { Workbench } from './layout/Workbench.tsx';
import { useLabStore } from './store/index.ts';

/** Closes the timing of a live flush once its render is committed (bench only: see perf/probe.ts). */
function FlushProbe({ session }: { session: string }) {
  useQuery(transcriptQuery(session));
  useLayoutEffect(() => {
    window.__labPerf?.committed(undefined);
  });
  return null;
}

export function App() {
  useUrlSync();
  useSessionBootstrap();
  useTheme();
  usePersistLayout();
  const session = useLabStore((s) => s.sessionId);
  const sessionError = useLabStore((s) => s.sessionError);
  const live = useLiveTranscript(session);
  usePresenterPublish(session);
  useFollowFlag();
  const dropping = useFileDrop();
  return (
    <div className="app">
      <a className="skip-link" href="#main-pane">
        Skip to the connection
      </a>
      <TopBar session={session} live={live} />
      <div className="status-row">
        <StatusLine />
        <CopyStatus />
      </div>
      {sessionError && <ErrorText>{sessionError}</ErrorText>}
      {session ? <Workbench session={session} /> : !sessionError && <p className="hint">Creating a session…</p>}
      {session && window.__labPerf && <FlushProbe session={session} />}
      {dropping && (
        <div className="drop-overlay" role="status">
          Drop a transcript (.json) or a HAR to open it in a new read-only session
        </div>
      )}
    </div>
  );
}
