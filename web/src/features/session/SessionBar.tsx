import { DEFAULT_SESSION } from '../../../../server/src/transcript/types.ts';
import type { LiveStatus } from '../../api/live.ts';
import { ExportButton } from '../export/ExportButton.tsx';
import { startNewSession } from './use-session.ts';

const LIVE_TEXT: Record<LiveStatus, string> = {
  connecting: 'connecting to the live stream…',
  live: 'live',
  reconnecting: 'live stream lost, reconnecting…',
  stopped: 'live stream stopped (reload to retry)',
};

/** The session this page files its connections under, how fresh the view is, and export. */
export function SessionBar({ session, live }: { session: string; live: LiveStatus }) {
  return (
    <div className="session-bar">
      <span>
        <span className="label">Session </span>
        <span className="wire" title="Keep this URL to come back to this session">
          {session}
        </span>
      </span>
      <span className={`live live-${live}`}>● {LIVE_TEXT[live]}</span>
      <ExportButton session={session} />
      <button type="button" onClick={() => void startNewSession()}>
        New session
      </button>
      {session !== DEFAULT_SESSION && (
        <a href={`?session=${DEFAULT_SESSION}`} title="Connections without a lab= parameter (wscat, curl…) are filed here">
          Terminal clients (default session)
        </a>
      )}
    </div>
  );
}
