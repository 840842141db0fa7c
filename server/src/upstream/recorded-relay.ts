import { connect, type Socket } from 'node:net';
import { relayChunk } from '../flow.ts';
import type { Leg } from '../tap/leg.ts';
import { upstreamAuthority, type NamedUpstream } from './upstreams.ts';

export interface RecordedRelayOptions {
  /** The socket the request came in on, paused after its head was read. */
  client: Socket;
  /** What goes to the upstream first: the request head as forwarded. */
  head: Buffer;
  /** Bytes that arrived after the head. */
  rest: Buffer;
  upstream: NamedUpstream;
  /** Legs that see every byte both ways (the same bytes cross each). */
  legs: readonly Leg[];
  /** Counts the upstream socket with the listener that owns the client, so closing it ends both. */
  track?: (socket: Socket) => void;
  /** The upstream could not be reached: answer the client, or close it. */
  unreachable(error: Error & { code?: string }): void;
  /** Who closed first, in a sentence for the legs' close event ("the upstream closed …"). */
  closedBy: { client: string; upstream: string };
}

/**
 * Relays a request to a named upstream and everything after it both ways, unchanged, with
 * backpressure, feeding each leg what crosses. Either side ending ends the other.
 */
export function recordedRelay(options: RecordedRelayOptions): void {
  const { client, legs, upstream: target } = options;
  const upstream = connect(target.port, target.host);
  options.track?.(upstream);
  upstream.setNoDelay(true);
  // An upstream that never accepts is answered like nginx's proxy_connect_timeout (60 s there; 5 s here).
  upstream.setTimeout(5_000, () => upstream.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
  let connected = false;
  let closedBy: 'client' | 'upstream' | undefined;
  upstream.on('error', (err: Error & { code?: string }) => {
    for (const leg of legs) leg.error(err.code ?? 'UPSTREAM_ERROR', `upstream ${target.name} (${upstreamAuthority(target)}): ${err.message}`, 'server-to-client');
    if (!connected) options.unreachable(err);
  });
  upstream.once('connect', () => {
    connected = true;
    upstream.setTimeout(0);
    if (client.destroyed) return void upstream.destroy();
    upstream.write(options.head);
    const fromClient = (chunk: Buffer) => {
      for (const leg of legs) leg.fromClient(chunk);
      relayChunk(client, upstream, chunk);
    };
    if (options.rest.length > 0) fromClient(options.rest);
    client.on('data', fromClient);
    client.resume();
  });
  upstream.on('data', (chunk: Buffer) => {
    for (const leg of legs) leg.fromServer(chunk);
    relayChunk(upstream, client, chunk);
  });
  client.on('end', () => {
    closedBy ??= 'client';
    upstream.end();
  });
  upstream.on('end', () => {
    closedBy ??= 'upstream';
    if (!client.destroyed) client.end();
  });
  let done = false;
  const teardown = () => {
    if (done) return;
    done = true;
    const detail = closedBy === undefined ? undefined : `${options.closedBy[closedBy]} closed the TCP connection without a close handshake`;
    for (const leg of legs) leg.end(detail);
    client.destroy();
    upstream.destroy();
  };
  client.once('close', teardown);
  upstream.once('close', () => {
    // Not connected yet: `unreachable` answers the client, which then closes.
    if (connected) teardown();
  });
}
