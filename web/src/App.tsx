import { useQuery } from '@tanstack/react-query';
import { useLiveTranscript } from './api/live.ts';
import { transcriptQuery } from './api/queries.ts';
import { ErrorText } from './components/ErrorText.tsx';
import { CompareView } from './features/compare/CompareView.tsx';
import { ViewSwitch } from './features/compare/ViewSwitch.tsx';
import { ConnectForm } from './features/connect/ConnectForm.tsx';
import { StatusLine } from './features/connect/StatusLine.tsx';
import { ConnectionView } from './features/connection/ConnectionView.tsx';
import { ConnectionList } from './features/connections/ConnectionList.tsx';
import { NginxConfigButton } from './features/nginx-config/NginxConfigButton.tsx';
import { DroppedNotice } from './features/session/DroppedNotice.tsx';
import { EvictedNotice } from './features/session/EvictedNotice.tsx';
import { SessionBar } from './features/session/SessionBar.tsx';
import { startNewSession, useSessionBootstrap } from './features/session/use-session.ts';
import { useLabStore } from './store/index.ts';

function TranscriptError({ session }: { session: string }) {
  // Only `error` is read, so new live data does not re-render this (react-query tracks what is used).
  const { error } = useQuery(transcriptQuery(session));
  if (!error) return null;
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

function Workspace({ session }: { session: string }) {
  const view = useLabStore((s) => s.mainView);
  return (
    <main className="layout">
      <aside className="sidebar">
        <section className="panel" aria-labelledby="connect-heading">
          <h2 id="connect-heading">Connect</h2>
          <ConnectForm />
          <NginxConfigButton />
        </section>
        <section className="panel" aria-labelledby="connections-heading">
          <h2 id="connections-heading">Connections</h2>
          <ConnectionList session={session} />
        </section>
      </aside>
      <div className="main-pane">
        <TranscriptError session={session} />
        <DroppedNotice session={session} />
        <EvictedNotice session={session} />
        <ViewSwitch />
        {view === 'compare' ? <CompareView session={session} /> : <ConnectionView session={session} />}
      </div>
    </main>
  );
}

export function App() {
  useSessionBootstrap();
  const session = useLabStore((s) => s.sessionId);
  const sessionError = useLabStore((s) => s.sessionError);
  const live = useLiveTranscript(session);
  return (
    <div className="app">
      <header className="app-header">
        <h1>WebSocket Upgrade Lab</h1>
        {session && <SessionBar session={session} live={live} />}
      </header>
      <StatusLine />
      {sessionError && <ErrorText>{sessionError}</ErrorText>}
      {session ? <Workspace session={session} /> : !sessionError && <p className="hint">Creating a session…</p>}
    </div>
  );
}
