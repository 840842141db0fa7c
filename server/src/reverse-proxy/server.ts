import { createServer, type Server, type Socket } from 'node:net';
import type { DescriptorGuard } from '../descriptors.ts';
import { DEFAULT_HEAD_TIMEOUT_MS, readRequestHead } from '../flow.ts';
import { listening } from '../listener.ts';
import { isEncrypted } from '../tls/front.ts';
import type { TunnelCorrelation } from '../tap/tunnel-correlation.ts';
import { frontOf, type HandshakeCorrelation } from '../tap/correlation.ts';
import { fileHeadFailure } from '../tap/head-failure.ts';
import { Leg } from '../tap/leg.ts';
import type { TranscriptStore } from '../transcript/store.ts';
import { newConnectionId } from '../transcript/store.ts';
import { headerValue, labParams, MAX_HEAD_BYTES, type RequestHead } from '../wire/http-head.ts';
import { refuse } from '../wire/refusal.ts';
import type { Tunnel } from '../tunnel.ts';
import { Exchange, type ExchangeSettings } from './exchange.ts';
import { matchUpstreamRoute, type UpstreamRoute } from '../upstream/routes.ts';
import { passThrough } from '../upstream/pass-through.ts';
import { upstreamRef, type NamedUpstream } from '../upstream/upstreams.ts';
import { parseRequestHeadLikeNginx } from './nginx-head.ts';
import { originForm } from './presets-nginx.ts';
import { createPresets, findPreset, presetInfo, type Preset } from './presets.ts';

export interface ReverseProxyOptions {
  store: TranscriptStore;
  upstream: { host: string; port: number };
  host?: string;
  port?: number;
  /** Record what crosses the proxy (on by default); off measures the bare proxy. */
  capture?: boolean;
  maxCapture?: number;
  /** `proxy_read_timeout` of the `nginx-idle-timeout` preset. */
  idleTimeoutMs?: number;
  /** How long to wait for the upstream to accept (nginx's proxy_connect_timeout); then 504. */
  connectTimeoutMs?: number;
  /**
   * client_header_timeout: the browser's whole head must arrive within it (then 408); also how
   * long the proxy waits for upstream's response head (proxy_read_timeout; then 504).
   */
  headTimeoutMs?: number;
  /** The largest message relayed (`--max-payload`); a larger one is closed with 1009. Needs capture. */
  maxPayload?: number;
  guard?: DescriptorGuard;
  /** `--upstream`: servers of the user's own, at `/upstream/<name>/[<preset>/]…` (upstream/routes.ts). */
  upstreams?: readonly NamedUpstream[];
  /**
   * Where hops meet when a URL names no connection: the proxy claims what the forward proxy in
   * front filed, and the echo server behind claims what the proxy filed, by Sec-WebSocket-Key.
   */
  correlation?: HandshakeCorrelation;
  /** Where the forward proxy waits to learn which connection a TLS tunnel carries. */
  tunnels?: TunnelCorrelation;
}

export interface ReverseProxy {
  server: Server;
  presets: Preset[];
  listen(): Promise<number>;
  /** With `graceMs`, every upgraded connection is first sent 1001 (going away) both ways. */
  close(options?: { graceMs?: number }): Promise<void>;
}

/**
 * The bundled reverse proxy. Each preset is a path prefix; what goes upstream and what comes
 * back are computed by the preset exactly as nginx 1.22 would (presets.ts), and both legs
 * are tapped: browser → proxy, and proxy → echo. The front door reads the browser's head as
 * nginx does and refuses what nginx refuses; each exchange then runs as small steps
 * (exchange.ts): connect, read upstream's head, relay a refusal or tunnel.
 */
export function createReverseProxy(options: ReverseProxyOptions): ReverseProxy {
  const { store } = options;
  const capture = options.capture ?? true;
  const presets = createPresets(options.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.idleTimeoutMs });
  const headTimeoutMs = options.headTimeoutMs ?? DEFAULT_HEAD_TIMEOUT_MS;
  const server = createServer();
  const lifecycle = listening(server, { name: 'reverse proxy', host: options.host, port: options.port, ...(options.guard ? { guard: options.guard } : {}) }, frontDoor);
  const exchanges = new Set<Exchange>();
  const passThroughs = new Set<Tunnel>();
  const settings: ExchangeSettings = {
    upstream: options.upstream,
    connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
    responseTimeoutMs: headTimeoutMs,
    listenPort: 0,
    track: (socket) => lifecycle.track(socket),
  };
  const cap = options.maxCapture === undefined ? {} : { maxCapture: options.maxCapture };

  function frontDoor(client: Socket): void {
    // WebSocket traffic is small writes answered at once: Nagle's delay would stall every
    // ping-pong (nginx sets tcp_nodelay on upgraded connections for the same reason).
    client.setNoDelay(true);
    readRequestHead(client, { limit: MAX_HEAD_BYTES, timeoutMs: headTimeoutMs, parse: parseRequestHeadLikeNginx }, (result) => {
      if (!result.ok) {
        const leg = capture ? fileHeadFailure({ store, observer: 'reverse-proxy', client: 'browser', route: 'reverse-proxy', socket: client, failure: result, ...cap }) : undefined;
        client.once('close', () => leg?.end());
        const status = result.error.status;
        if (status === undefined) return void client.destroy();
        return refuse(client, { status, reason: `reverse proxy: ${result.error.message}` }, (bytes) => leg?.fromServer(bytes));
      }
      const { head, rest } = result;
      const via = matchUpstreamRoute(head.target, options.upstreams ?? [], presets);
      if (via && 'error' in via) return noPreset(client, head, `reverse proxy: ${via.error}`);
      if (via && !via.preset) return passThrough(client, head, rest, via, { store, listenPort: settings.listenPort, track: lifecycle.track, tunnels: passThroughs, ...cap });
      const preset = via?.preset ?? findPreset(originForm(head.target), presets)?.preset;
      if (!preset) return noPreset(client, head);
      const to = via ? { host: via.upstream.host, port: via.upstream.port, target: via.target, scheme: via.upstream.scheme } : undefined;
      const x = new Exchange(settings, client, head, preset, capture ? legs(client, head, preset, via) : {}, to);
      exchanges.add(x);
      client.once('close', () => exchanges.delete(x));
      x.forward(rest);
    });
  }

  function where(head: RequestHead) {
    const params = labParams(head.target);
    const named = params.get('conn');
    // A terminal client names no connection: the forward proxy in front may have filed it already.
    const claimed = named === null ? options.correlation?.claim(headerValue(head.headers, 'sec-websocket-key')) : undefined;
    if (claimed) return { session: claimed.session, conn: claimed.conn };
    return { session: store.resolveSession(params.get('lab')), conn: named ?? newConnectionId() };
  }

  function url(client: Socket, head: RequestHead): string {
    const host = head.headers.find(([n]) => n.toLowerCase() === 'host')?.[1] ?? `${client.localAddress}:${settings.listenPort}`;
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(head.target) ? head.target.replace(/^http/i, 'ws') : `${isEncrypted(client) ? 'wss' : 'ws'}://${host}${head.target}`;
  }

  function legs(client: Socket, head: RequestHead, preset: Preset, via: UpstreamRoute | undefined): { down: Leg; up: Leg } {
    const { session, conn } = where(head);
    // A TLS tunnel through the forward proxy ends here: its record goes under this connection, first.
    if (isEncrypted(client)) options.tunnels?.claim(client.remotePort)?.(session, conn);
    const upstream = via ? { upstream: upstreamRef(via.upstream) } : {};
    const meta = store.openConnection(session, conn, { url: url(client, head), route: 'reverse-proxy', preset: preset.name, ...upstream });
    // The echo server behind files its side under this connection (by key when the URL names none) and learns its peer.
    options.correlation?.expect(headerValue(head.headers, 'sec-websocket-key'), { session, conn, peer: 'reverse-proxy' });
    const common = { store, session, conn, observer: 'reverse-proxy' as const, ...cap };
    // The browser's leg sees every byte first: it alone judges the max payload.
    const down = new Leg({ ...common, client: frontOf(meta.route), server: 'reverse-proxy', ...(options.maxPayload === undefined ? {} : { maxPayload: options.maxPayload }) });
    const up = new Leg({ ...common, client: 'reverse-proxy', server: 'echo' });
    down.request(head);
    return { down, up };
  }

  /** No preset (or no such upstream) at this path: 404, recorded under the connection the URL names. */
  function noPreset(client: Socket, head: RequestHead, why?: string): void {
    let leg: Leg | undefined;
    if (capture) {
      const { session, conn } = where(head);
      const meta = store.openConnection(session, conn, { url: url(client, head), route: 'reverse-proxy' });
      leg = new Leg({ store, session, conn, observer: 'reverse-proxy', client: frontOf(meta.route), server: 'reverse-proxy', ...cap });
      leg.request(head);
      client.once('close', () => leg?.end());
    }
    const reason = why ?? `reverse proxy: no preset at ${originForm(head.target).split('?')[0]}; use /<preset>/… with one of ${presets.map((p) => p.name).join(', ')}`;
    refuse(client, { status: 404, reason }, (bytes) => leg?.fromServer(bytes));
  }

  return {
    server,
    presets,
    listen: async () => {
      settings.listenPort = await lifecycle.listen();
      return settings.listenPort;
    },
    close: async ({ graceMs = 0 } = {}) => {
      lifecycle.stopAccepting();
      if (graceMs > 0) {
        for (const x of exchanges) x.goAway();
        for (const tunnel of passThroughs) tunnel.goAway();
      }
      await lifecycle.drain(graceMs);
    },
  };
}

export { presetInfo };
