import { memo } from 'react';
import { useLabStore } from '../../store/index.ts';
import { ClientClose } from './ClientClose.tsx';
import { SendMessage } from './SendMessage.tsx';
import { ServerActions } from './ServerActions.tsx';

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

/** Docked under the connection: messages and closes from the browser's side, actions from the server's side. */
export const Composer = memo(function Composer({ session, conn, ended }: { session: string; conn: string; ended: boolean }) {
  const phase = useLabStore((s) => s.sockets[conn]?.phase);
  const open = phase === 'open';
  const why =
    phase === undefined
      ? ended
        ? `This page did not open ${conn}, and it has ended.`
        : 'This page did not open this connection, so it cannot send on it; the server actions still work while it is live.'
      : open
        ? undefined
        : `The browser's WebSocket is ${phase}: sending needs an open one.`;
  return (
    <section className="composer" aria-labelledby="composer-heading">
      <h3 id="composer-heading" className="visually-hidden">
        Composer
      </h3>
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
