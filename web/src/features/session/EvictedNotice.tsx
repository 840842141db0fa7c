import { useQuery } from '@tanstack/react-query';
import { evictedQuery } from '../../api/queries.ts';
import { ErrorText } from '../../components/ErrorText.tsx';
import { startNewSession } from './use-session.ts';

/** Says so when the lab evicted this session (its live stream's last word), and offers a new one. */
export function EvictedNotice({ session }: { session: string }) {
  const evicted = useQuery(evictedQuery(session)).data;
  if (!evicted) return null;
  return (
    <div className="transcript-error">
      <ErrorText>
        The lab evicted session {session}: {evicted.reason}. Its captures are gone, and new connections under it are no longer
        recorded.
      </ErrorText>
      <button type="button" onClick={() => void startNewSession()}>
        Start a new session
      </button>
    </div>
  );
}
