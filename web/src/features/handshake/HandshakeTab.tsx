import { useMemo } from 'react';
import type { Connection, LabEvent, OpenEvent, Party, RequestEvent } from '../../../../server/src/transcript/types.ts';
import { isConnectReply } from '../../../../server/src/shared/connect.ts';
import { direction, PARTY_LABEL } from '../../components/format.ts';
import { AcceptCheck } from './AcceptCheck.tsx';
import { HeadBlock, type HeadEvent } from './HeadBlock.tsx';
import { headerValue } from './hop-by-hop.ts';
import { Negotiation } from './Negotiation.tsx';
import { TunnelNote } from './TunnelNote.tsx';

type HandshakeEvent = HeadEvent | OpenEvent;

function isHandshakeEvent(e: LabEvent): e is HandshakeEvent {
  return e.kind === 'request' || e.kind === 'response' || e.kind === 'connect' || e.kind === 'open';
}

/** The Sec-WebSocket-Key this response answers: the request on the same leg, seen by the same hop. */
function keyFor(response: HeadEvent, requests: RequestEvent[]): string | undefined {
  const sameLeg = requests.find((r) => r.observer === response.observer && r.from === response.to && r.to === response.from);
  const request = sameLeg ?? requests.find((r) => r.observer === response.observer) ?? requests[0];
  return request && headerValue(request.headers, 'sec-websocket-key');
}

/** What the event is, in a word or three: through the forward proxy, the CONNECT, its reply, and what went inside the tunnel. */
function what(event: HandshakeEvent): string {
  if (event.kind === 'open') return 'open event';
  if (isConnectReply(event)) return 'reply to the CONNECT';
  if (event.observer === 'forward-proxy' && event.kind !== 'connect') return `${event.kind} inside the tunnel`;
  return event.kind;
}

function Caption({ event }: { event: HandshakeEvent }) {
  return (
    <p className="caption">
      <span className="wire">{direction(event)}</span> · {what(event)} · event #{event.seq}
    </p>
  );
}

/** Every HTTP head of the connection, grouped by the hop that observed it, like a packet capture per hop. */
export function HandshakeTab({ connection }: { connection: Connection }) {
  const groups = useMemo(() => {
    const byObserver = new Map<Party, HandshakeEvent[]>();
    for (const e of connection.events) {
      if (!isHandshakeEvent(e)) continue;
      const list = byObserver.get(e.observer) ?? [];
      list.push(e);
      byObserver.set(e.observer, list);
    }
    return [...byObserver];
    // Events are appended in place: the length says when there are more.
  }, [connection.events, connection.events.length]);
  const requests = useMemo(
    () => connection.events.filter((e): e is RequestEvent => e.kind === 'request'),
    [connection.events, connection.events.length],
  );

  if (groups.length === 0) return <p className="hint">No handshake recorded yet for {connection.id}.</p>;
  return (
    <div className="handshake">
      <p className="hint">
        A page cannot see its own handshake bytes; each hop below recorded what it received and sent.
      </p>
      <Negotiation connection={connection} />
      {groups.map(([observer, events]) => (
        <section key={observer} className="observer-group" aria-label={`Observed by ${PARTY_LABEL[observer]}`}>
          <h3>Observed by the {PARTY_LABEL[observer]}</h3>
          {events.map((e) => (
            <div key={e.seq} className="head-event">
              <Caption event={e} />
              {e.kind === 'open' ? (
                <p className="wire">
                  WebSocket open: protocol “{e.protocol}”, extensions “{e.extensions}”
                </p>
              ) : (
                <>
                  <HeadBlock event={e} />
                  {e.kind === 'connect' || (e.kind === 'response' && isConnectReply(e)) ? (
                    <TunnelNote event={e} />
                  ) : (
                    e.kind === 'response' && <AcceptCheck response={e} requestKey={keyFor(e, requests)} />
                  )}
                </>
              )}
            </div>
          ))}
        </section>
      ))}
    </div>
  );
}
