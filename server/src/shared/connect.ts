import type { LabEvent } from '../transcript/types.ts';

// The forward proxy's own answers. It speaks only CONNECT (RFC 9110 §9.3.6): what it sends
// from itself is its reply to the CONNECT — `200 Connection established`, a status line and no
// headers, after which the connection is a tunnel — or its refusal of one. The WebSocket
// handshake it relays inside the tunnel is recorded as the tunnelled request and its 101.

/** A response the forward proxy sent from itself: the reply to the CONNECT, never a WebSocket handshake's answer. */
export function isConnectReply(event: LabEvent): boolean {
  return event.kind === 'response' && event.observer === 'forward-proxy' && event.from === 'forward-proxy';
}
