import type { ConnectEvent, ResponseEvent } from '../../../../server/src/transcript/types.ts';

/** What a CONNECT and the forward proxy's reply to it are: the tunnel, not the WebSocket handshake it carries. */
export function TunnelNote({ event }: { event: ConnectEvent | ResponseEvent }) {
  if (event.kind === 'connect') {
    return (
      <p className="hint">
        The browser asks the forward proxy for a tunnel to <span className="wire">{event.target}</span> (RFC 9110 §9.3.6). The WebSocket handshake
        goes inside it once the proxy agrees.
      </p>
    );
  }
  if (event.status === 200) {
    return (
      <p className="hint">
        The forward proxy's reply to the CONNECT: a status line and no headers. From here on it relays the tunnel's bytes unchanged, so the
        handshake inside (the tunnelled request and its 101) is the one the browser judges.
      </p>
    );
  }
  return <p className="hint">The forward proxy's own answer: it refused to open the tunnel, so no WebSocket handshake was sent.</p>;
}
