import type { Socket } from 'node:net';
import type { Leg } from '../tap/leg.ts';
import { Tunnel } from '../tunnel.ts';
import { connectUpstream, readyEvent, upstreamAuthority, type NamedUpstream } from './upstreams.ts';

export interface RecordedRelayOptions {
  /** The socket the request came in on, paused after its head was read. */
  client: Socket;
  /** What goes to the upstream first: the request head as forwarded. */
  head: Buffer;
  /** Bytes that arrived after the head. */
  rest: Buffer;
  upstream: NamedUpstream;
  /**
   * The legs watching each socket: `client` the side towards the client, `upstream` the side
   * towards the server (the same leg for a transparent relay).
   */
  legs: { client?: Leg | undefined; upstream?: Leg | undefined };
  /** Counts the upstream socket with the listener that owns the client, so closing it ends both. */
  track?: (socket: Socket) => void;
  /** The relay is up: the owner keeps it, to send 1001 (going away) at shutdown. */
  opened?: (tunnel: Tunnel) => void;
  /** The relay is gone. */
  closed?: (tunnel: Tunnel) => void;
  /** The upstream could not be reached: answer the client, or close it. */
  unreachable(error: Error & { code?: string }): void;
  /** Who closed first, in a sentence for the legs' close event ("the upstream closed …"). */
  closedBy: { client: string; upstream: string };
}

/**
 * Relays a request to a named upstream and everything after it both ways, unchanged, through
 * the lab's one Tunnel (backpressure, the max payload, 1001 at shutdown), feeding each leg
 * what crosses. Either side ending ends the other.
 */
export function recordedRelay(options: RecordedRelayOptions): void {
  const { client, legs, upstream: target } = options;
  const every = [...new Set([legs.client, legs.upstream])].filter((leg): leg is Leg => leg !== undefined);
  const upstream = connectUpstream(target);
  options.track?.(upstream);
  upstream.setNoDelay(true);
  // An upstream that never accepts is answered like nginx's proxy_connect_timeout (60 s there; 5 s here).
  upstream.setTimeout(5_000, () => upstream.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
  let connected = false;
  let closedBy: 'client' | 'upstream' | undefined;
  client.once('end', () => (closedBy ??= 'client'));
  upstream.once('end', () => (closedBy ??= 'upstream'));
  upstream.on('error', (err: Error & { code?: string }) => {
    for (const leg of every) leg.error(err.code ?? 'UPSTREAM_ERROR', `upstream ${target.name} (${upstreamAuthority(target)}): ${err.message}`, 'server-to-client');
    if (!connected) options.unreachable(err);
  });
  client.once('close', () => {
    if (!connected) upstream.destroy();
  });
  upstream.once(readyEvent(target), () => {
    connected = true;
    upstream.setTimeout(0);
    if (client.destroyed) return void upstream.destroy();
    upstream.write(options.head);
    if (options.rest.length > 0) {
      for (const leg of every) leg.fromClient(options.rest);
      upstream.write(options.rest);
    }
    const tunnel: Tunnel = new Tunnel({
      client,
      upstream,
      legs,
      sendToClient: (bytes) => client.write(bytes),
      sendUpstream: (bytes) => upstream.write(bytes),
      onClose: () => {
        const detail = closedBy === undefined ? undefined : `${options.closedBy[closedBy]} closed the TCP connection without a close handshake`;
        for (const leg of every) leg.end(detail);
        options.closed?.(tunnel);
      },
    });
    options.opened?.(tunnel);
    tunnel.relayUpstream();
    tunnel.relayClient();
  });
}
