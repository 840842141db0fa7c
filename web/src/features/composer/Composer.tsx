import type { Connection } from '../../../../server/src/transcript/types.ts';
import { useLabStore } from '../../store/index.ts';
import { ClientClose } from './ClientClose.tsx';
import { SendMessage } from './SendMessage.tsx';
import { ServerActions } from './ServerActions.tsx';

function ComposerNotice() {
  const notice = useLabStore((s) => s.composerNotice);
  if (!notice) return null;
  return notice.tone === 'error' ? (
    <p className="error" role="alert">
      {notice.text}
    </p>
  ) : (
    <p className="notice-info" role="status">
      {notice.text}
    </p>
  );
}

/** Messages and closes from the browser's side, and actions from the server's side, on the selected connection. */
export function Composer({ session, connection }: { session: string; connection: Connection }) {
  const phase = useLabStore((s) => s.sockets[connection.id]?.phase);
  const open = phase === 'open';
  return (
    <section className="composer" aria-labelledby="composer-heading">
      <h3 id="composer-heading">Composer</h3>
      {!open && (
        <p className="hint">
          {phase === undefined
            ? 'This page did not open this connection, so it cannot send on it; the server actions still work while it is live.'
            : `The browser's WebSocket is ${phase}: sending needs an open one.`}
        </p>
      )}
      <ComposerNotice />
      <SendMessage conn={connection.id} open={open} />
      <ClientClose conn={connection.id} open={open} />
      <ServerActions session={session} conn={connection.id} />
    </section>
  );
}
