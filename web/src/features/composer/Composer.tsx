import { memo, useState } from 'react';
import { useLabStore } from '../../store/index.ts';
import { ClientClose } from './ClientClose.tsx';
import { SendMessage } from './SendMessage.tsx';
import { ServerActions } from './ServerActions.tsx';
import { useOwnership } from '../follow/ownership.ts';

function ComposerNotice() {
  const notice = useLabStore((s) => s.composerNotice);
  if (!notice) return null;
  return notice.tone === 'error' ? (
    <p className="error composer-notice" role="alert">
      {notice.text}
    </p>
  ) : (
    <p className="notice-info composer-notice" role="status">
      {notice.text}
    </p>
  );
}

/**
 * Docked under the connection: messages and closes from the browser's side, actions from the server's side.
 * While a lesson plays it drives the connection, so the composer folds to one line (and its notices).
 */
export const Composer = memo(function Composer({ session, conn, ended, folded = false }: { session: string; conn: string; ended: boolean; folded?: boolean }) {
  const phase = useLabStore((s) => s.sockets[conn]?.phase);
  const [unfolded, setUnfolded] = useState(false);
  const open = phase === 'open';
  const owner = useOwnership(session, conn);
  const why =
    !owner.mine
      ? owner.why
      : phase === undefined
      ? ended
        ? `This page did not open ${conn}, and it has ended.`
        : 'This page did not open this connection, so it cannot send on it; the server actions still work while it is live.'
      : open
        ? undefined
        : `The browser's WebSocket is ${phase}: sending needs an open one.`;
  const toggle = folded && (
    <button type="button" className="disclosure-button" aria-expanded={unfolded} aria-controls="composer-body" onClick={() => setUnfolded(!unfolded)}>
      <span aria-hidden="true">{unfolded ? '▾' : '▸'}</span> Composer{unfolded ? '' : ': the lesson drives this connection'}
    </button>
  );
  if (folded && !unfolded) {
    return (
      <section className="composer composer-folded" aria-labelledby="composer-heading">
        <h3 id="composer-heading" className="visually-hidden">
          Composer
        </h3>
        <ComposerNotice />
        {toggle}
      </section>
    );
  }
  return (
    <section className="composer" aria-labelledby="composer-heading" id="composer-body">
      <h3 id="composer-heading" className="visually-hidden">
        Composer
      </h3>
      {toggle}
      {why && <p className="hint composer-why">{why}</p>}
      <ComposerNotice />
      <SendMessage conn={conn} open={open} />
      <div className="composer-line">
        <ClientClose conn={conn} open={open} />
        <ServerActions session={session} conn={conn} ended={ended} />
      </div>
    </section>
  );
});
