// The http-only preset's one job: forward an absolute-URI request (`GET http://host:port/path`,
// RFC 9112 §3.2.2) as a plain HTTP proxy does. Upgrade and Connection are hop-by-hop (RFC 9110
// §7.6.1, §7.8): a proxy that does not tunnel drops them, so a WebSocket upgrade sent this way
// never reaches the server — the same request nginx sends with `proxy_pass` alone, over HTTP/1.1.

import type { Socket } from 'node:net';
import { Exchange, type ExchangeSettings } from '../reverse-proxy/exchange.ts';
import { originForm } from '../reverse-proxy/presets-nginx.ts';
import type { Preset } from '../reverse-proxy/presets.ts';
import type { HandshakeCorrelation } from '../tap/correlation.ts';
import { Leg } from '../tap/leg.ts';
import { newConnectionId, type TranscriptStore } from '../transcript/store.ts';
import type { Party } from '../transcript/types.ts';
import { headerValue, labParams, type RequestHead } from '../wire/http-head.ts';
import { refuse } from '../wire/refusal.ts';
import { bareHost, checkTarget, type ForwardProxyAllow } from './allowlist.ts';
import { forwardProxyPreset } from './presets.ts';

/** How the http-only proxy forwards: HTTP/1.1, nginx's defaults (Connection: close, no Upgrade), Proxy-Connection dropped. */
export const HTTP_ONLY_FORWARDING: Preset = {
  name: 'http-only',
  description: forwardProxyPreset('http-only')!.description,
  nginxLocation: forwardProxyPreset('http-only')!.config,
  upstreamHttpVersion: '1.1',
  upgrades: false,
  setHeaders: [['Proxy-Connection', '']],
  behaviour: 'nginx',
};

export interface PlainForwarding {
  store: TranscriptStore;
  allow: ForwardProxyAllow;
  settings: ExchangeSettings;
  exchanges: Set<Exchange>;
  farEnd: (authority: string) => Party;
  correlation?: HandshakeCorrelation;
  maxCapture?: number;
  maxPayload?: number;
}

/** `http://host:port/path?query` → where it goes; undefined for anything else (origin-form, https:, garbage). */
export function absoluteTarget(target: string): { host: string; port: number; authority: string; path: string } | undefined {
  if (!/^http:\/\//i.test(target)) return undefined;
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return undefined;
  }
  const port = url.port === '' ? 80 : Number(url.port);
  return { host: bareHost(url.hostname), port, authority: url.host, path: `${url.pathname}${url.search}` };
}

export function forwardAbsoluteUri(f: PlainForwarding, client: Socket, head: RequestHead, rest: Buffer): void {
  const to = absoluteTarget(head.target)!;
  const params = labParams(originForm(head.target));
  const named = params.get('conn');
  const session = f.store.resolveSession(params.get('lab'));
  const conn = named ?? newConnectionId();
  const url = `ws://${to.authority}${to.path}`;
  f.store.openConnection(session, conn, { url, route: 'forward-proxy', preset: 'http-only' });
  const cap = { store: f.store, session, conn, observer: 'forward-proxy' as const, ...(f.maxCapture === undefined ? {} : { maxCapture: f.maxCapture }) };
  const down = new Leg({ ...cap, client: 'browser', server: 'forward-proxy', ...(f.maxPayload === undefined ? {} : { maxPayload: f.maxPayload }) });
  down.request(head);
  const verdict = checkTarget(f.allow, to.host, to.port);
  if (!verdict.ok) {
    const reason = verdict.reason.replace(/^forward proxy: CONNECT/, 'forward proxy (http-only): GET');
    down.error('TARGET_NOT_ALLOWED', reason);
    client.once('close', () => down.end());
    return refuse(client, { status: 403, reason }, (bytes) => down.fromServer(bytes));
  }
  const up = new Leg({ ...cap, client: 'forward-proxy', server: f.farEnd(`${to.host.includes(':') ? `[${to.host}]` : to.host}:${to.port}`) });
  // The hop behind files its side under this connection, and learns the forward proxy is its peer.
  f.correlation?.expect(headerValue(head.headers, 'sec-websocket-key'), { session, conn, peer: 'forward-proxy' });
  const x = new Exchange(f.settings, client, head, HTTP_ONLY_FORWARDING, { down, up }, { host: to.host, port: to.port, target: to.path });
  f.exchanges.add(x);
  client.once('close', () => f.exchanges.delete(x));
  x.forward(rest);
}
