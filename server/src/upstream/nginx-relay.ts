import { createServer, type Server, type Socket } from 'node:net';
import { DEFAULT_HEAD_TIMEOUT_MS, readRequestHead } from '../flow.ts';
import type { Tunnel } from '../tunnel.ts';
import { listening } from '../listener.ts';
import { proxyHost } from '../reverse-proxy/presets-nginx.ts';
import type { HandshakeCorrelation } from '../tap/correlation.ts';
import { Leg } from '../tap/leg.ts';
import type { TranscriptStore } from '../transcript/store.ts';
import { newConnectionId } from '../transcript/store.ts';
import { headerValue, labParams, MAX_HEAD_BYTES, serializeRequestHead, type RequestHead } from '../wire/http-head.ts';
import { recordedRelay } from './recorded-relay.ts';
import { upstreamAuthority, upstreamRef, type NamedUpstream } from './upstreams.ts';

export interface NginxUpstreamRelayOptions {
  store: TranscriptStore;
  upstream: NamedUpstream;
  /** Files a request whose URL names no connection under the one the tap in front of nginx filed. */
  correlation?: HandshakeCorrelation;
  maxCapture?: number;
}

export interface NginxUpstreamRelay {
  server: Server;
  /** Binds a free loopback port, which nginx's proxy_pass then names. */
  listen(): Promise<number>;
  /** With `graceMs`, every open WebSocket is first sent 1001 (going away) both ways. */
  close(options?: { graceMs?: number }): Promise<void>;
}

/**
 * Real nginx reaches a named upstream through this relay, so the lab records nginx's upstream
 * leg as the echo server records it for the presets: what the upstream received and answered.
 * Bytes pass unchanged with one exception: nginx's default Host (`$proxy_host`) names the
 * relay, so a Host that is exactly the relay's address becomes the upstream's, which is what
 * nginx sends when its proxy_pass names the upstream itself.
 */
export function createNginxUpstreamRelay(options: NginxUpstreamRelayOptions): NginxUpstreamRelay {
  const { store, upstream } = options;
  let port = 0;
  const where = `upstream ${upstream.name} (${upstreamAuthority(upstream)})`;

  const tunnels = new Set<Tunnel>();
  const server = createServer();
  const lifecycle = listening(server, { name: `relay to upstream ${upstream.name}`, host: '127.0.0.1', port: 0 }, (socket) => {
    socket.setNoDelay(true);
    readRequestHead(socket, { limit: MAX_HEAD_BYTES, timeoutMs: DEFAULT_HEAD_TIMEOUT_MS }, (result) => {
      // nginx always sends a whole head; anything else is passed on as it is, unrecorded.
      if (!result.ok) return result.error.code === 'CLIENT_ABORTED' ? void socket.destroy() : relay(socket, result.received, Buffer.alloc(0), undefined);
      const head = withUpstreamHost(result.head);
      const leg = file(head);
      relay(socket, head === result.head ? result.raw : Buffer.from(serializeRequestHead(head), 'latin1'), result.rest, leg);
    });
  });

  function withUpstreamHost(head: RequestHead): RequestHead {
    const host = headerValue(head.headers, 'host');
    if (host !== `127.0.0.1:${port}`) return head;
    const replaced = proxyHost(upstreamAuthority(upstream));
    return { ...head, headers: head.headers.map(([n, v]): [string, string] => (n.toLowerCase() === 'host' && v === host ? [n, replaced] : [n, v])) };
  }

  function file(head: RequestHead): Leg {
    const params = labParams(head.target);
    const named = params.get('conn');
    const claimed = named === null ? options.correlation?.claim(headerValue(head.headers, 'sec-websocket-key')) : undefined;
    const session = claimed?.session ?? store.resolveSession(params.get('lab'));
    const conn = claimed?.conn ?? named ?? newConnectionId();
    store.openConnection(session, conn, { url: `${upstream.url.replace(/\/$/, '')}${head.target}`, route: 'nginx', upstream: upstreamRef(upstream) });
    const leg = new Leg({ store, session, conn, observer: 'nginx', client: 'nginx', server: 'echo', ...(options.maxCapture ? { maxCapture: options.maxCapture } : {}) });
    leg.request(head);
    return leg;
  }

  function relay(socket: Socket, head: Buffer, rest: Buffer, leg: Leg | undefined): void {
    recordedRelay({
      client: socket,
      head,
      rest,
      upstream,
      legs: { client: leg, upstream: leg },
      track: lifecycle.track,
      opened: (tunnel) => tunnels.add(tunnel),
      closed: (tunnel) => tunnels.delete(tunnel),
      closedBy: { client: 'nginx', upstream: where },
      // nginx answers its client 502 when its upstream resets the connection, as it would had it dialled the upstream itself.
      unreachable: () => {
        leg?.end();
        socket.destroy();
      },
    });
  }

  return {
    server,
    listen: async () => {
      port = await lifecycle.listen();
      return port;
    },
    close: async ({ graceMs = 0 } = {}) => {
      lifecycle.stopAccepting();
      if (graceMs > 0) for (const tunnel of tunnels) tunnel.goAway();
      await lifecycle.drain(graceMs);
    },
  };
}
