import { useLabStore } from '../../store/index.ts';
import { followAgain } from './presenter-sync.ts';

/** Says whether this tab follows the presenter, with the way out (Detach) and back. */
export function FollowBanner() {
  const follow = useLabStore((s) => s.follow);
  const live = useLabStore((s) => s.presenterLive);
  const notice = useLabStore((s) => s.presenterNotice);
  const setFollow = useLabStore((s) => s.setFollow);
  if (notice) {
    return (
      <p className="follow-banner error" role="alert">
        {notice}
      </p>
    );
  }
  if (follow === 'off') return null;
  if (follow === 'detached') {
    return (
      <div className="follow-banner" role="region" aria-label="Follow mode">
        <p>Detached: you explore on your own; connections you open are yours.</p>
        <button type="button" onClick={followAgain}>
          Follow the presenter again
        </button>
      </div>
    );
  }
  return (
    <div className="follow-banner following" role="region" aria-label="Follow mode">
      <p role="status">
        {live ? 'Following the presenter: their lesson, step and selection, live. Their connections are theirs to act on.' : 'Waiting for the presenter: nobody presents this session yet.'}
      </p>
      <button type="button" onClick={() => setFollow('detached')}>
        Detach
      </button>
    </div>
  );
}
