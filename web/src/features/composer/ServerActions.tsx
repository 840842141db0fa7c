import { useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { EchoAction } from '../../../../server/src/api/types.ts';
import { assertNever } from '../../../../server/src/shared/assert.ts';
import { errorMessage } from '../../api/client.ts';
import { postRecordedAction } from '../scenario/action-log.ts';
import { useLabStore } from '../../store/index.ts';
import { parseCode } from './close-errors.ts';
import { useOwnership } from '../follow/ownership.ts';

function describe(action: EchoAction): string {
  switch (action.action) {
    case 'close':
      return `close with ${action.code ?? 'no code'} “${action.reason ?? ''}”`;
    case 'ping':
      return `send a ping`;
    case 'fragment':
      return `echo the next message as ${action.count} fragments`;
    case 'terminate':
      return 'terminate the TCP connection without a close frame';
    default:
      return assertNever(action, 'action');
  }
}

/** Buttons that make the echo server act on this connection (`POST …/actions`). */
export function ServerActions({ session, conn, ended }: { session: string; conn: string; ended: boolean }) {
  const expanded = useLabStore((s) => s.layout.serverActionsOpen);
  const setExpanded = useLabStore((s) => s.setServerActionsOpen);
  const f = useLabStore(
    useShallow((s) => ({
      code: s.composer.serverCloseCode,
      reason: s.composer.serverCloseReason,
      ping: s.composer.pingPayload,
      fragments: s.composer.fragments,
    })),
  );
  const setComposer = useLabStore((s) => s.setComposer);
  const setNotice = useLabStore((s) => s.setComposerNotice);
  const [busy, setBusy] = useState(false);
  const owner = useOwnership(session, conn);

  const run = async (action: EchoAction) => {
    setBusy(true);
    try {
      await postRecordedAction(session, conn, action);
      setNotice({ tone: 'info', text: `Asked the echo server to ${describe(action)} on ${conn}.` });
    } catch (error) {
      setNotice({ tone: 'error', text: `The echo server could not ${describe(action)}: ${errorMessage(error)}` });
    } finally {
      setBusy(false);
    }
  };
  const submit = (make: () => EchoAction | string) => (e: FormEvent) => {
    e.preventDefault();
    const action = make();
    if (typeof action === 'string') setNotice({ tone: 'error', text: action });
    else void run(action);
  };

  const close = submit(() => {
    const parsed = parseCode(f.code);
    if ('error' in parsed) return parsed.error;
    return parsed.code === undefined ? { action: 'close', reason: f.reason } : { action: 'close', code: parsed.code, reason: f.reason };
  });
  const ping = submit(() => ({ action: 'ping', payload: f.ping }));
  const fragment = submit(() => {
    const count = Number(f.fragments);
    return Number.isInteger(count) && count >= 1 ? { action: 'fragment', count } : `“${f.fragments}” is not a number of fragments: use a whole number from 1.`;
  });

  return (
    <div className="server-actions">
      <button type="button" className="disclosure-button" aria-expanded={expanded} aria-controls="server-actions" onClick={() => setExpanded(!expanded)}>
        <span aria-hidden="true">{expanded ? '▾' : '▸'}</span> Ask the echo server{ended ? ' (the connection has ended)' : ''}
      </button>
      <fieldset id="server-actions" disabled={busy || ended || !owner.mine} hidden={!expanded} className="composer-row">
        <legend className="visually-hidden">Ask the echo server</legend>
        {ended && <p className="hint">The connection has ended: the echo server can no longer act on it.</p>}
        {!ended && owner.why && (
          <p className="hint not-owner" role="note">
            {owner.why}
          </p>
        )}
        <form onSubmit={close} className="row">
          <label htmlFor="composer-server-code">Server close code</label>
          <input id="composer-server-code" inputMode="numeric" className="short" value={f.code} onChange={(e) => setComposer({ serverCloseCode: e.target.value })} />
          <label htmlFor="composer-server-reason">reason</label>
          <input id="composer-server-reason" aria-label="Server close reason" value={f.reason} onChange={(e) => setComposer({ serverCloseReason: e.target.value })} />
          <button type="submit">Server close</button>
        </form>
        <form onSubmit={ping} className="row">
          <label htmlFor="composer-ping">Ping payload</label>
          <input id="composer-ping" value={f.ping} onChange={(e) => setComposer({ pingPayload: e.target.value })} />
          <button type="submit">Server ping</button>
        </form>
        <form onSubmit={fragment} className="row">
          <label htmlFor="composer-fragments">Fragments</label>
          <input id="composer-fragments" type="number" min={1} className="short" value={f.fragments} onChange={(e) => setComposer({ fragments: e.target.value })} />
          <button type="submit">Echo next message as fragments</button>
        </form>
        <div className="row">
          <button type="button" className="danger" onClick={() => void run({ action: 'terminate' })}>
            Terminate (no close frame)
          </button>
        </div>
      </fieldset>
    </div>
  );
}
