import { connect, createServer, type Server, type Socket } from 'node:net';
import type { DescriptorGuard } from '../descriptors.ts';
import { DEFAULT_HEAD_TIMEOUT_MS, idleTimer, readRequestHead } from '../flow.ts';
import { listening } from '../listener.ts';
import { findPreset, type Preset } from '../reverse-proxy/presets.ts';
import { frontOf, type HandshakeCorrelation } from '../tap/correlation.ts';
import { fileHeadFailure } from '../tap/head-failure.ts';
import { Leg } from '../tap/leg.ts';
import type { TranscriptStore } from '../transcript/store.ts';
import { newConnectionId } from '../transcript/store.ts';
import { Tunnel } from '../tunnel.ts';
import { headerValue, labParams, MAX_HEAD_BYTES, type RequestHead } from '../wire/http-head.ts';
import type { UpstreamRef } from '../transcript/types.ts';
import { refuse } from '../wire/refusal.ts';
import { NginxErrorLog } from './error-log.ts';

/**
 * Where the tap sends a request other than the presets': a pasted config's own nginx, or the
 * presets' nginx at an `/upstream/…` location; or an answer of the tap's own when there is none.
 */
export type NginxTapRoute =
  | { nginx?: { host: string; port: number }; preset?: string; upstream?: UpstreamRef; errorLog?: NginxErrorLog }
  | { refuse: { status: number; reason: string }; preset?: string; upstream?: UpstreamRef };

export interface NginxTapOptions {
  store: TranscriptStore;
  host?: string;
  /** The nginx port users connect to (`--nginx-port`): the tap listens there. */
  port?: number;
  /** Where real nginx listens, on loopback, behind the tap. */
  nginx: { host: string; port: number };
  presets: readonly Preset[];
  maxCapture?: number;
  /** client_header_timeout for the request head (then 408), and how long a connection that never upgraded may stay silent. */
  headTimeoutMs?: number;
  /** The largest message relayed (`--max-payload`); a larger one is closed with 1009. */
  maxPayload?: number;
  guard?: DescriptorGuard;
  /** nginx's error log, for what nginx said about a tunnel it ended. */
  errorLogPath?: string;
  /** Files the echo server's side of a connection whose URL names none under the tap's id. */
  correlation?: HandshakeCorrelation;
  /** Requests that do not go to the presets' nginx as they are (undefined: they do). */
  route?: (head: RequestHead) => NginxTapRoute | undefined;
}

export interface NginxTap {
  server: Server;
  listen(): Promise<number>;
  /** With `graceMs`, every open WebSocket is first sent 1001 (going away) both ways. */
  close(options?: { graceMs?: number }): Promise<void>;
}

/**
 * The lab's tap in front of real nginx: it listens on the nginx port and relays every byte,
 * unchanged, to nginx on a loopback port, recording the browser ↔ nginx leg as the bundled
 * proxy records its own (request, response, frames, close, timing). The nginx ↔ echo leg is
 * recorded by the echo server, so real nginx is a hop seen from both sides. The front door is
 * the one every listener has: a bounded head read with client_header_timeout, refusals
 * recorded, the max payload enforced, and 1001 at shutdown.
 */
export function createNginxTap(options: NginxTapOptions): NginxTap {
  const { store } = options;
  const headTimeoutMs = options.headTimeoutMs ?? DEFAULT_HEAD_TIMEOUT_MS;
  const cap = options.maxCapture === undefined ? {} : { maxCapture: options.maxCapture };
  const log = options.errorLogPath === undefined ? undefined : new NginxErrorLog(options.errorLogPath);
  const tunnels = new Set<Tunnel>();
  let listenPort = 0;

  const server = createServer();
  const lifecycle = listening(server, { name: 'nginx tap', host: options.host, port: options.port, ...(options.guard ? { guard: options.guard } : {}) }, onClient);

  function onClient(client: Socket): void {
    client.setNoDelay(true);
    readRequestHead(client, { limit: MAX_HEAD_BYTES, timeoutMs: headTimeoutMs }, (result) => {
      if (result.ok) return route(client, result.raw, result.rest, result.head);
      // What nginx itself would refuse (a head too large, not HTTP) is refused here with the same status, and recorded.
      const leg = fileHeadFailure({ store, observer: 'nginx', client: 'browser', route: 'nginx', socket: client, failure: result, ...cap });
      client.once('close', () => leg?.end());
      const status = result.error.status;
      if (status === undefined) return void client.destroy();
      refuse(client, { status, reason: `nginx tap: ${result.error.message}` }, (bytes) => leg?.fromServer(bytes));
    });
  }

  /** Files the request, then answers it from the tap (a route it refuses) or relays it to its nginx. */
  function route(client: Socket, raw: Buffer, rest: Buffer, head: RequestHead): void {
    const chosen = options.route?.(head);
    const leg = file(head, client, chosen);
    if (chosen && 'refuse' in chosen) {
      client.once('close', () => leg.end());
      return refuse(client, chosen.refuse, (bytes) => leg.fromServer(bytes));
    }
    relay(client, raw, rest, head, leg, chosen?.nginx ?? options.nginx, chosen?.errorLog ?? log);
  }

  function file(head: RequestHead, client: Socket, route: NginxTapRoute | undefined): Leg {
    const params = labParams(head.target);
    const named = params.get('conn');
    const key = headerValue(head.headers, 'sec-websocket-key');
    // A terminal client names no connection: the forward proxy in front may have filed it already.
    const claimed = named === null ? options.correlation?.claim(key) : undefined;
    const session = claimed?.session ?? store.resolveSession(params.get('lab'));
    const conn = claimed?.conn ?? named ?? newConnectionId();
    const preset = route ? route.preset : findPreset(head.target, options.presets)?.preset.name;
    const host = headerValue(head.headers, 'host') ?? `${client.localAddress}:${listenPort}`;
    const upstream = route?.upstream === undefined ? {} : { upstream: route.upstream };
    const meta = store.openConnection(session, conn, { url: `ws://${host}${head.target}`, route: 'nginx', ...(preset === undefined ? {} : { preset }), ...upstream });
    // A pasted config may rewrite the path and lose the query (lab=, conn=): the key still finds
    // the connection. The echo server also learns from it that its peer is nginx.
    options.correlation?.expect(key, { session, conn, peer: 'nginx' });
    const leg = new Leg({
      store, session, conn, observer: 'nginx', client: frontOf(meta.route), server: 'nginx', ...cap,
      ...(options.maxPayload === undefined ? {} : { maxPayload: options.maxPayload }),
    });
    leg.request(head);
    return leg;
  }

  /** Relays the head and what followed it to nginx, then everything else both ways, watched by one leg. */
  function relay(client: Socket, raw: Buffer, rest: Buffer, head: RequestHead, leg: Leg, nginx: { host: string; port: number }, errorLog: NginxErrorLog | undefined): void {
    const upstream = connect(nginx.port, nginx.host);
    lifecycle.track(upstream);
    upstream.setNoDelay(true);
    let connected = false;
    let closedBy: 'browser' | 'nginx' | undefined;
    client.once('end', () => (closedBy ??= 'browser'));
    upstream.once('end', () => (closedBy ??= 'nginx'));
    upstream.on('error', (err: Error & { code?: string }) => {
      if (connected) return leg.error(err.code ?? 'SOCKET_ERROR', `nginx's side of the tunnel: ${err.message}`, 'server-to-client');
      // nginx is not there (it exited): the browser gets an answer that says so, as a proxy would.
      const reason = `nginx tap: could not reach nginx at ${nginx.host}:${nginx.port} (${err.code ?? err.message}); nginx is not running`;
      leg.error(err.code ?? 'NGINX_UNREACHABLE', reason, 'server-to-client');
      client.once('close', () => leg.end());
      refuse(client, { status: 502, reason }, (bytes) => leg.fromServer(bytes));
    });
    client.once('close', () => {
      if (!connected) upstream.destroy();
    });
    upstream.once('connect', () => {
      connected = true;
      if (client.destroyed) return void upstream.destroy();
      leg.fromClient(rest);
      upstream.write(rest.length > 0 ? Buffer.concat([raw, rest]) : raw);
      const tunnel = new Tunnel({
        client,
        upstream,
        legs: { client: leg, upstream: leg },
        sendToClient: (bytes) => client.write(bytes),
        sendUpstream: (bytes) => upstream.write(bytes),
        onClose: () => {
          tunnels.delete(tunnel);
          idle.stop();
          finish(leg, head, closedBy, errorLog);
        },
      });
      tunnels.add(tunnel);
      // nginx answers a refused upgrade and keeps the connection for another request; the lab
      // closes one that stays silent without upgrading, as the bundled proxy does.
      const idle = idleTimer([client, upstream], headTimeoutMs, () => {
        if (leg.upgraded) return;
        client.destroy();
        upstream.destroy();
      });
      tunnel.relayUpstream();
      tunnel.relayClient();
    });
  }

  function finish(leg: Leg, head: RequestHead, closedBy: 'browser' | 'nginx' | undefined, errorLog: NginxErrorLog | undefined): void {
    if (closedBy === 'nginx') {
      for (const said of errorLog?.about(`${head.method} ${head.target} HTTP/${head.httpVersion}`) ?? []) leg.error(said.code, said.message, 'server-to-client');
    }
    leg.end(closedBy === 'nginx' ? 'nginx closed the TCP connection without a close handshake' : undefined);
  }

  return {
    server,
    listen: async () => {
      listenPort = await lifecycle.listen();
      return listenPort;
    },
    close: async ({ graceMs = 0 } = {}) => {
      lifecycle.stopAccepting();
      if (graceMs > 0) for (const tunnel of tunnels) tunnel.goAway();
      await lifecycle.drain(graceMs);
    },
  };
}
