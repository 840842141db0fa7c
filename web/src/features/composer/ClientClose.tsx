import type { FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useLabStore } from '../../store/index.ts';
import { parseCode } from './close-errors.ts';
import { closeFromPage } from './page-actions.ts';

/** `WebSocket.close(code, reason)` from the page, with the browser's refusals explained. */
export function ClientClose({ conn, open }: { conn: string; open: boolean }) {
  const { code, reason } = useLabStore(useShallow((s) => ({ code: s.composer.clientCloseCode, reason: s.composer.clientCloseReason })));
  const setComposer = useLabStore((s) => s.setComposer);
  const setNotice = useLabStore((s) => s.setComposerNotice);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseCode(code);
    if ('error' in parsed) return setNotice({ tone: 'error', text: parsed.error });
    closeFromPage(conn, parsed.code, reason);
  };

  return (
    <form onSubmit={onSubmit}>
      <fieldset disabled={!open} className="composer-row">
        <legend className="visually-hidden">Close from the browser</legend>
        <div className="row">
          <label htmlFor="composer-client-code">Client close code</label>
          <input id="composer-client-code" inputMode="numeric" className="short" value={code} onChange={(e) => setComposer({ clientCloseCode: e.target.value })} />
          <label htmlFor="composer-client-reason">reason</label>
          <input id="composer-client-reason" aria-label="Client close reason" value={reason} onChange={(e) => setComposer({ clientCloseReason: e.target.value })} />
          <button type="submit">Close from browser</button>
        </div>
      </fieldset>
    </form>
  );
}
