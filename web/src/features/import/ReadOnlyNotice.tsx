import { useQuery } from '@tanstack/react-query';
import { transcriptQuery } from '../../api/queries.ts';
import { startNewSession } from '../session/use-session.ts';

/** Says that this session was opened from a file, so nothing can be sent or recorded in it. */
export function ReadOnlyNotice({ session }: { session: string }) {
  const imported = useQuery({ ...transcriptQuery(session), select: (t) => t.imported }).data;
  if (!imported) return null;
  const file = imported.name ? ` ${imported.name}` : ' a file';
  return (
    <div className="notice-info read-only-notice" role="note">
      <p>
        <strong>Read-only</strong>: opened from{file} ({imported.from === 'har' ? 'a HAR' : 'a transcript'}).{' '}
        {imported.browserOnly &&
          'A HAR holds what the browser saw only: the handshake’s headers and whole messages, no hops, no frame headers, no raw bytes. '}
        Nothing is sent or recorded here.
      </p>
      <button type="button" onClick={() => void startNewSession()}>
        Start a new session to connect
      </button>
    </div>
  );
}

/** Why this connection takes no messages or actions, when it is read-only; undefined when it is live or may be. */
export function useReadOnlyReason(session: string, restoredAt: string | undefined): string | undefined {
  const imported = useQuery({ ...transcriptQuery(session), select: (t) => t.imported }).data;
  if (imported) return 'This session was opened from a file: it is read-only.';
  if (restoredAt) return 'This connection was recorded before the lab restarted: it is read-only, and nothing reaches it any more.';
  return undefined;
}
