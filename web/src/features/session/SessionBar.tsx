import { DEFAULT_SESSION } from '../../../../server/src/transcript/types.ts';
import type { LiveStatus } from '../../api/live.ts';
import { CopyButton } from '../copy/CopyButton.tsx';
import { ExportButton } from '../export/ExportButton.tsx';
import { SaveScenario } from '../scenario/SaveScenario.tsx';
import { OpenButton } from '../import/OpenButton.tsx';
import { startNewSession } from './use-session.ts';

const LIVE_TEXT: Record<LiveStatus, string> = {
  connecting: 'connecting to the live stream…',
  live: 'live',
  reconnecting: 'live stream lost, reconnecting…',
  stopped: 'live stream stopped (reload to retry)',
};

/**
 * The session this page files its connections under, how fresh the view is, and what can be
 * done with the whole session: open a file (Open…), save it as a file (Export),
 * a link to this exact view, a new session.
 */
export function SessionBar({ session, live }: { session: string; live: LiveStatus }) {
  return (
    <div className="session-bar">
      <span className={`live live-${live}`} title={LIVE_TEXT[live]}>
        <span aria-hidden="true">● </span>
        {live === 'live' ? 'live' : LIVE_TEXT[live]}
      </span>
      <div className="file-actions" role="group" aria-label="Transcript file">
        <OpenButton />
        <ExportButton session={session} />
        <SaveScenario session={session} />
      </div>
      <button type="button" className="options-button" popoverTarget="session-menu" aria-haspopup="dialog">
        Session <span aria-hidden="true">▾</span>
      </button>
      <div id="session-menu" popover="auto" role="dialog" aria-labelledby="session-menu-heading" className="popover session-menu">
        <h2 id="session-menu-heading">Session</h2>
        <p>
          <span className="wire" title="The key to this session's captures">
            {session}
          </span>
        </p>
        <p className="row">
          <CopyButton what="a link to this view" label="Copy link to this view" text={() => window.location.href} />
        </p>
        <p className="hint">The link opens this session at this connection, tab and selection.</p>
        <p className="row">
          <button type="button" onClick={() => void startNewSession()}>
            New session
          </button>
          {session !== DEFAULT_SESSION && (
            <a href={`?session=${DEFAULT_SESSION}`} title="Connections without a lab= parameter (wscat, curl…) are filed here">
              Terminal clients (default session)
            </a>
          )}
        </p>
      </div>
    </div>
  );
}
