import type { Socket } from 'node:net';
import { Leg } from '../tap/leg.ts';
import type { TranscriptStore } from '../transcript/store.ts';
import { newConnectionId } from '../transcript/store.ts';
import { headerValue, labParams, serializeRequestHead, type RequestHead } from '../wire/http-head.ts';
import { statusForSocketError } from '../wire/refusal.ts';
import type { Tunnel } from '../tunnel.ts';
import { recordedRelay } from './recorded-relay.ts';
import type { UpstreamRoute } from './routes.ts';
import { upstreamAuthority, upstreamRef } from './upstreams.ts';
import { frontOf } from '../tap/correlation.ts';

export interface PassThroughOptions {
  store: TranscriptStore;
  maxCapture?: number;
  listenPort: number;
  track?: (socket: Socket) => void;
  /** The proxy's open pass-through tunnels, told to go away at shutdown. */
  tunnels?: Set<Tunnel>;
}

/**
 * `/upstream/<name>/<path>` on the bundled proxy: the request goes to the upstream exactly as
 * the client sent it, but for the prefix removed from its target: no header is added, dropped
 * or re-ordered, Host included. Both legs are recorded, so the user sees that their server
 * received what their client sent.
 */
export function passThrough(client: Socket, head: RequestHead, rest: Buffer, route: UpstreamRoute, options: PassThroughOptions): void {
  const { store } = options;
  const params = labParams(head.target);
  const session = store.resolveSession(params.get('lab'));
  const conn = params.get('conn') ?? newConnectionId();
  const host = headerValue(head.headers, 'host') ?? `127.0.0.1:${options.listenPort}`;
  const meta = store.openConnection(session, conn, { url: `ws://${host}${head.target}`, route: 'reverse-proxy', upstream: upstreamRef(route.upstream) });
  const common = { store, session, conn, observer: 'reverse-proxy' as const, ...(options.maxCapture ? { maxCapture: options.maxCapture } : {}) };
  const down = new Leg({ ...common, client: frontOf(meta.route), server: 'reverse-proxy' });
  const up = new Leg({ ...common, client: 'reverse-proxy', server: 'echo' });
  const forwarded: RequestHead = { ...head, target: route.target };
  down.request(head);
  up.request(forwarded);
  const where = `upstream ${route.upstream.name} (${upstreamAuthority(route.upstream)})`;
  recordedRelay({
    client,
    head: Buffer.from(serializeRequestHead(forwarded), 'latin1'),
    rest,
    upstream: route.upstream,
    legs: { client: down, upstream: up },
    ...(options.track ? { track: options.track } : {}),
    opened: (tunnel) => options.tunnels?.add(tunnel),
    closed: (tunnel) => options.tunnels?.delete(tunnel),
    closedBy: { client: 'the client', upstream: where },
    unreachable(err) {
      const status = statusForSocketError(err.code);
      const reason = `reverse proxy (pass-through): could not reach ${where}: ${err.code ?? err.message}`;
      down.error(err.code ?? 'UPSTREAM_ERROR', reason, 'server-to-client');
      const answer = refusalBytes(status, reason);
      down.fromServer(answer);
      down.end();
      up.end();
      if (client.destroyed) return;
      client.end(answer, () => client.destroy());
    },
  });
}

/** The bytes `refuse` writes, so the leg records exactly what the client got. */
function refusalBytes(status: number, reason: string): Buffer {
  const body = `${reason}\n`;
  const phrase = status === 504 ? 'Gateway Time-out' : 'Bad Gateway';
  return Buffer.from(
    `HTTP/1.1 ${status} ${phrase}\r\nServer: websocket-upgrade-lab\r\nDate: ${new Date().toUTCString()}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
