import { useMemo } from 'react';
import type { CloseEvent, Connection, ErrorEvent, FrameEvent } from '../../../../server/src/transcript/types.ts';
import { closeCodeName } from '../../../../server/src/shared/close-codes.ts';
import { describeCloseEvent, direction, formatTime, PARTY_LABEL } from '../../components/format.ts';

function CloseFrames({ frames, ended }: { frames: FrameEvent[]; ended: boolean }) {
  if (frames.length === 0) {
    return (
      <p className="hint">
        {ended ? 'No close frame was sent: the connection ended without a closing handshake.' : 'No close frame on the wire yet.'}
      </p>
    );
  }
  return (
    <ul className="plain">
      {frames.map((f) => (
        <li key={f.seq}>
          <span className="wire">{direction(f)}</span> seen by the {PARTY_LABEL[f.observer]}:{' '}
          {f.close?.code === undefined ? (
            <span>no status code</span>
          ) : (
            <span>
              <span className="wire">{f.close.code}</span> ({closeCodeName(f.close.code)})
            </span>
          )}{' '}
          reason <span className="wire">“{f.close?.reason ?? ''}”</span>
        </li>
      ))}
    </ul>
  );
}

function SocketEvents({ events }: { events: (CloseEvent | ErrorEvent)[] }) {
  if (events.length === 0) return <p className="hint">No socket closed or failed yet.</p>;
  return (
    <ul className="plain">
      {events.map((e) => (
        <li key={e.seq}>
          <span className="hint">{formatTime(e.time)}</span> {PARTY_LABEL[e.observer]} (<span className="wire">{direction(e)}</span>):{' '}
          {e.kind === 'close' ? (
            <span className="wire">
              close {e.code} “{e.reason}” wasClean {String(e.wasClean)}
            </span>
          ) : (
            <span>
              error <span className="wire">{e.code}</span>: {e.message}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

/** How the connection ended: the browser's CloseEvent, close frames per hop, socket events. (Findings sit above the tabs, once.) */
export function CloseTab({ connection }: { connection: Connection }) {
  const { frames, browserClose, socketEvents } = useMemo(() => {
    const frames: FrameEvent[] = [];
    const socketEvents: (CloseEvent | ErrorEvent)[] = [];
    for (const e of connection.events) {
      if (e.kind === 'frame' && e.opcode === 0x8) frames.push(e);
      else if (e.kind === 'close' || e.kind === 'error') socketEvents.push(e);
    }
    const browserClose = socketEvents.find((e): e is CloseEvent => e.kind === 'close' && e.observer === 'browser');
    return { frames, browserClose, socketEvents };
    // Events are appended in place: the length says when there are more.
  }, [connection.events, connection.events.length]);
  const ended = socketEvents.some((e) => e.kind === 'close');

  return (
    <div className="close-tab">
      <section aria-label="Browser CloseEvent">
        <h3>The browser's CloseEvent</h3>
        {browserClose ? (
          <p className={`close-event ${browserClose.wasClean ? 'close-clean' : 'close-unclean'}`}>
            <span className={`badge ${browserClose.wasClean ? 'badge-ok' : 'badge-error'}`}>
              {browserClose.wasClean ? '✓ clean' : '✗ not clean'}
            </span>{' '}
            <span className="wire">{describeCloseEvent(browserClose)}</span> <span className="hint">({closeCodeName(browserClose.code)})</span>
          </p>
        ) : (
          <p className="hint">The browser has not reported a CloseEvent for this connection.</p>
        )}
      </section>
      <section aria-label="Close frames">
        <h3>Close frames on the wire</h3>
        <CloseFrames frames={frames} ended={ended} />
      </section>
      <section aria-label="Close and error events">
        <h3>Close and error events</h3>
        <SocketEvents events={socketEvents} />
      </section>
    </div>
  );
}
