import { connect, createServer, type Server, type Socket } from 'node:net';
import { listening } from '../listener.ts';
import { readRequestHead, relayChunk } from '../flow.ts';
import type { TranscriptStore } from '../transcript/store.ts';
import { Leg } from '../tap/leg.ts';
import { HeadReader, labParams, MAX_HEAD_BYTES, parseResponseHead, serializeRequestHead, type RequestHead } from '../wire/http-head.ts';
import { refuse, statusForSocketError } from '../wire/refusal.ts';
import { newConnectionId } from '../transcript/store.ts';
import { createPresets, findPreset, presetInfo, upstreamRequest, type Preset, type UpstreamInput } from './presets.ts';
import { relayRefusal, upgradeResponse } from './relay.ts';
import { BodyCollector } from './body.ts';
import { matchUpstreamRoute, type UpstreamRoute } from '../upstream/routes.ts';
import { passThrough } from '../upstream/pass-through.ts';
import { upstreamAuthority, upstreamRef, type NamedUpstream } from '../upstream/upstreams.ts';

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
  /** `--upstream`: servers of the user's own, at `/upstream/<name>/[<preset>/]…` (upstream/routes.ts). */
  upstreams?: readonly NamedUpstream[];
}

export interface ReverseProxy {
  server: Server;
  presets: Preset[];
  listen(): Promise<number>;
  close(): Promise<void>;
}

/** One proxied exchange: the browser's socket, the upstream socket, and the legs watching them. */
interface Exchange {
  client: Socket;
  upstream?: Socket;
  preset: Preset;
  down?: Leg;
  up?: Leg;
  session: string;
  conn: string;
  /** A named upstream instead of the echo server. */
  via?: UpstreamRoute;
}

/**
 * The bundled reverse proxy. Each preset is a path prefix; what goes upstream and what comes
 * back are computed by the preset exactly as nginx 1.22 would (presets.ts), and both legs
 * are tapped: browser → proxy, and proxy → echo.
 */
export function createReverseProxy(options: ReverseProxyOptions): ReverseProxy {
  const { store } = options;
  const capture = options.capture ?? true;
  const presets = createPresets(options.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.idleTimeoutMs });
  const echoHost = `${options.upstream.host}:${options.upstream.port}`;
  let listenPort = 0;

  const server = createServer(function onClient(client) {
    client.on('error', () => client.destroy());
    // WebSocket traffic is small writes answered at once: Nagle's delay would stall every
    // ping-pong (nginx sets tcp_nodelay on upgraded connections for the same reason).
    client.setNoDelay(true);
    readRequestHead(client, MAX_HEAD_BYTES, (result) => {
      if (!result.ok) return refuse(client, { status: result.error.status ?? 400, reason: `reverse proxy: ${result.error.message}` });
      const { head, rest } = result;
      const via = matchUpstreamRoute(head.target, options.upstreams ?? [], presets);
      if (via && 'error' in via) return refuse(client, { status: 404, reason: `reverse proxy: ${via.error}` });
      if (via && !via.preset) return passThrough(client, head, rest, via, { store, listenPort, track: lifecycle.track, ...(options.maxCapture ? { maxCapture: options.maxCapture } : {}) });
      const match = via?.preset ? { preset: via.preset } : findPreset(head.target, presets);
      if (!match) {
        return refuse(client, {
          status: 404,
          reason: `reverse proxy: no preset at ${head.target.split('?')[0]}; use /<preset>/… with one of ${presets.map((p) => p.name).join(', ')}`,
        });
      }
      forward(open(client, head, match.preset, via), head, rest);
    });
  });
  const lifecycle = listening(server, options.host, options.port);

  function open(client: Socket, head: RequestHead, preset: Preset, via?: UpstreamRoute): Exchange {
    const params = labParams(head.target);
    const session = store.resolveSession(params.get('lab'));
    const conn = params.get('conn') ?? newConnectionId();
    const exchange: Exchange = { client, preset, session, conn, ...(via ? { via } : {}) };
    if (!capture) return exchange;
    const host = head.headers.find(([n]) => n.toLowerCase() === 'host')?.[1] ?? `127.0.0.1:${listenPort}`;
    const upstream = via ? { upstream: upstreamRef(via.upstream) } : {};
    store.openConnection(session, conn, { url: `ws://${host}${head.target}`, route: 'reverse-proxy', preset: preset.name, ...upstream });
    const common = { store, session, conn, observer: 'reverse-proxy' as const, ...(options.maxCapture ? { maxCapture: options.maxCapture } : {}) };
    exchange.down = new Leg({ ...common, client: 'browser', server: 'reverse-proxy' });
    exchange.up = new Leg({ ...common, client: 'reverse-proxy', server: 'echo' });
    exchange.down.request(head);
    return exchange;
  }

  /** Everything written to the browser goes through here, so the downstream leg sees it. */
  function toClient(x: Exchange, bytes: Buffer | string): void {
    const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
    x.down?.fromServer(buffer);
    if (!x.client.destroyed) x.client.write(buffer);
  }

  function forward(x: Exchange, head: RequestHead, rest: Buffer): void {
    const target = x.via?.upstream ?? options.upstream;
    const upstreamHost = x.via ? upstreamAuthority(x.via.upstream) : echoHost;
    const input: UpstreamInput = { ...head, clientAddress: plainAddress(x.client.remoteAddress), upstreamHost, listenPort };
    const outgoing = upstreamRequest(x.preset, input);
    // `proxy_pass http://host:port/;` in `location /upstream/<name>/<preset>/`: the prefix is replaced by `/`.
    if (x.via) outgoing.target = x.via.target;
    const upstream = connect(target.port, target.host);
    x.upstream = upstream;
    lifecycle.track(upstream);
    upstream.setNoDelay(true);
    upstream.setTimeout(options.connectTimeoutMs ?? 5_000, () => upstream.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    let answered = false;
    upstream.on('error', (err: Error & { code?: string }) => {
      x.up?.error(err.code ?? 'UPSTREAM_ERROR', `upstream ${upstreamHost}: ${err.message}`, 'server-to-client');
      if (answered) return;
      answered = true;
      const status = statusForSocketError(err.code);
      x.down?.error(err.code ?? 'UPSTREAM_ERROR', `the reverse proxy could not reach upstream ${upstreamHost}: ${err.code ?? err.message}`, 'server-to-client');
      toClientThenClose(x, status, `reverse proxy: upstream ${upstreamHost} ${status === 504 ? 'timed out' : 'failed'} (${err.code ?? err.message}) for preset ${x.preset.name}`);
    });
    upstream.once('connect', () => {
      upstream.setTimeout(0);
      const bytes = serializeRequestHead(outgoing);
      x.up?.request(outgoing);
      upstream.write(bytes);
      if (rest.length > 0) sendUpstream(x, rest);
      x.client.on('data', (chunk: Buffer) => sendUpstream(x, chunk));
      x.client.resume();
    });
    const reader = new HeadReader();
    const onData = (chunk: Buffer) => {
      x.up?.fromServer(chunk);
      let found;
      try {
        found = reader.push(chunk);
      } catch {
        upstream.removeListener('data', onData);
        answered = true;
        return toClientThenClose(x, 502, `reverse proxy: upstream ${upstreamHost} sent a response head over the size limit`);
      }
      if (!found) return;
      upstream.removeListener('data', onData);
      answered = true;
      let response;
      try {
        response = parseResponseHead(found.head);
      } catch (err) {
        return toClientThenClose(x, 502, `reverse proxy: upstream ${upstreamHost} sent an invalid response: ${(err as Error).message}`);
      }
      if (response.status === 101) return tunnel(x, upgradeResponse(x.preset, response, input), found.rest);
      const body = new BodyCollector(response, (content) => {
        toClient(x, relayRefusal(x.preset, response, content, input));
        // nginx would keep the browser's connection for another request (its head says
        // keep-alive); a browser never reuses a connection whose upgrade failed, so the lab
        // closes it at once rather than hold a descriptor for keepalive_timeout.
        closeBoth(x);
      });
      upstream.on('data', (c: Buffer) => {
        x.up?.fromServer(c);
        body.push(c);
      });
      upstream.once('end', () => body.end());
      body.push(found.rest);
    };
    upstream.on('data', onData);
    const teardown = () => closeBoth(x);
    x.client.once('close', teardown);
    upstream.once('close', () => {
      // The browser left first (and closeBoth destroyed the upstream): nothing to answer.
      if (answered || x.client.destroyed) return teardown();
      // Closed before a whole response head (no socket error): the browser must still get an answer.
      answered = true;
      x.down?.error('UPSTREAM_CLOSED', `upstream ${upstreamHost} closed the connection before answering`, 'server-to-client');
      toClientThenClose(x, 502, `reverse proxy: upstream ${upstreamHost} closed the connection before sending a response (preset ${x.preset.name})`);
    });
  }

  function sendUpstream(x: Exchange, chunk: Buffer): void {
    x.down?.fromClient(chunk);
    x.up?.fromClient(chunk);
    if (x.upstream) relayChunk(x.client, x.upstream, chunk);
  }

  function tunnel(x: Exchange, responseHead: string, rest: Buffer): void {
    const upstream = x.upstream!;
    toClient(x, responseHead);
    if (rest.length > 0) toClient(x, rest);
    upstream.on('data', (chunk: Buffer) => {
      x.up?.fromServer(chunk);
      x.down?.fromServer(chunk);
      relayChunk(upstream, x.client, chunk);
    });
    const idle = x.preset.idleTimeoutMs;
    if (idle !== undefined) {
      // nginx re-arms proxy_read_timeout on traffic either way (ngx_http_upstream_process_upgraded),
      // and on expiry closes both connections without a close frame.
      const cut = () => {
        const message = `no data either way for ${idle} ms (proxy_read_timeout): the proxy closed both connections without a close frame, as nginx does`;
        x.up?.error('PROXY_READ_TIMEOUT', message, 'server-to-client');
        x.down?.error('PROXY_READ_TIMEOUT', message, 'server-to-client');
        closeBoth(x);
      };
      let timer = setTimeout(cut, idle);
      const rearm = () => {
        clearTimeout(timer);
        timer = setTimeout(cut, idle);
      };
      upstream.on('data', rearm);
      x.client.on('data', rearm);
      x.client.once('close', () => clearTimeout(timer));
    }
  }

  function toClientThenClose(x: Exchange, status: number, reason: string): void {
    if (x.client.destroyed) return closeBoth(x);
    const body = `${reason}\n`;
    toClient(x, `HTTP/1.1 ${status} ${status === 504 ? 'Gateway Time-out' : 'Bad Gateway'}\r\nServer: websocket-upgrade-lab\r\nDate: ${new Date().toUTCString()}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`);
    toClient(x, Buffer.from(body));
    closeBoth(x);
  }

  function closeBoth(x: Exchange): void {
    x.down?.end();
    x.up?.end();
    x.upstream?.destroy();
    if (!x.client.destroyed) x.client.end(() => x.client.destroy());
  }

  return {
    server,
    presets,
    listen: async () => {
      listenPort = await lifecycle.listen();
      return listenPort;
    },
    close: lifecycle.close,
  };
}

/** `$remote_addr` as nginx writes it: an IPv4 client on a dual-stack socket without `::ffff:`. */
function plainAddress(address: string | undefined): string {
  return (address ?? '').replace(/^::ffff:/, '');
}

export { presetInfo };
