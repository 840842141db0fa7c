import { STATUS_CODES } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { listening } from '../listener.ts';
import { readRequestHead, relayChunk } from '../flow.ts';
import type { TranscriptStore } from '../transcript/store.ts';
import { newConnectionId } from '../transcript/store.ts';
import { Leg } from '../tap/leg.ts';
import type { HandshakeCorrelation } from '../tap/correlation.ts';
import { headerValue, labParams, MAX_HEAD_BYTES, type RequestHead } from '../wire/http-head.ts';
import { findPreset, type Preset } from '../reverse-proxy/presets.ts';
import type { UpstreamRef } from '../transcript/types.ts';
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
  close(): Promise<void>;
}

/**
 * The lab's tap in front of real nginx: it listens on the nginx port and relays every byte,
 * unchanged, to nginx on a loopback port, recording the browser ↔ nginx leg as the bundled
 * proxy records its own (request, response, frames, close, timing). The nginx ↔ echo leg is
 * recorded by the echo server, so real nginx is a hop seen from both sides.
 */
export function createNginxTap(options: NginxTapOptions): NginxTap {
  const { store } = options;
  const log = options.errorLogPath === undefined ? undefined : new NginxErrorLog(options.errorLogPath);
  let listenPort = 0;

  const server = createServer(function onClient(client) {
    client.on('error', () => client.destroy());
    client.setNoDelay(true);
    readRequestHead(client, MAX_HEAD_BYTES, (result) => {
      // Not a request the lab can file: nginx still gets every byte and answers it itself.
      if (!result.ok) return relay(client, result.received, Buffer.alloc(0), undefined);
      const route = options.route?.(result.head);
      const leg = file(result.head, client, route);
      if (route && 'refuse' in route) return answer(client, leg, route.refuse.status, route.refuse.reason);
      relay(client, result.raw, result.rest, { head: result.head, leg, ...(route?.nginx ? { nginx: route.nginx } : {}), ...(route?.errorLog ? { log: route.errorLog } : {}) });
    });
  });
  const lifecycle = listening(server, options.host, options.port);

  function file(head: RequestHead, client: Socket, route: NginxTapRoute | undefined): Leg {
    const params = labParams(head.target);
    const session = store.resolveSession(params.get('lab'));
    const named = params.get('conn');
    const conn = named ?? newConnectionId();
    const preset = route ? route.preset : findPreset(head.target, options.presets)?.preset.name;
    const host = headerValue(head.headers, 'host') ?? `${client.localAddress}:${listenPort}`;
    const upstream = route?.upstream === undefined ? {} : { upstream: route.upstream };
    store.openConnection(session, conn, { url: `ws://${host}${head.target}`, route: 'nginx', ...(preset === undefined ? {} : { preset }), ...upstream });
    // A pasted config may rewrite the path and lose the query (lab=, conn=): the key still finds the connection.
    if (named === null || route !== undefined) options.correlation?.expect(headerValue(head.headers, 'sec-websocket-key'), { session, conn, peer: 'nginx' });
    const leg = new Leg({ store, session, conn, observer: 'nginx', client: 'browser', server: 'nginx', ...(options.maxCapture ? { maxCapture: options.maxCapture } : {}) });
    leg.request(head);
    return leg;
  }

  /** The tap's own answer, recorded as nginx's side of the leg. */
  function answer(client: Socket, leg: Leg, status: number, reason: string): void {
    const body = `${reason}\n`;
    const phrase = STATUS_CODES[status] ?? 'Error';
    const bytes = `HTTP/1.1 ${status} ${phrase}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
    leg.fromServer(Buffer.from(bytes));
    leg.end();
    if (!client.destroyed) client.end(bytes, () => client.destroy());
  }

  /** Relays `head` and `rest` (what arrived after the head) to nginx, then everything else both ways. */
  function relay(client: Socket, head: Buffer, rest: Buffer, watched: { head: RequestHead; leg: Leg; nginx?: { host: string; port: number }; log?: NginxErrorLog } | undefined): void {
    const leg = watched?.leg;
    const nginx = watched?.nginx ?? options.nginx;
    const upstream = connect(nginx.port, nginx.host);
    lifecycle.track(upstream);
    upstream.setNoDelay(true);
    let closedBy: 'browser' | 'nginx' | undefined;
    upstream.on('error', (err: Error & { code?: string }) => {
      if (upstream.connecting || !connected) {
        // nginx is not there (it exited): the browser gets an answer that says so, as a proxy would.
        const reason = `the lab's tap could not reach nginx at ${nginx.host}:${nginx.port} (${err.code ?? err.message}); nginx is not running`;
        leg?.error(err.code ?? 'NGINX_UNREACHABLE', reason, 'server-to-client');
        const body = `${reason}\n`;
        const answer = `HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
        leg?.fromServer(Buffer.from(answer));
        if (!client.destroyed) client.end(answer, () => client.destroy());
        return;
      }
      leg?.error(err.code ?? 'SOCKET_ERROR', `nginx's side of the tunnel: ${err.message}`, 'server-to-client');
    });
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
      if (client.destroyed) return void upstream.destroy();
      if (rest.length > 0) leg?.fromClient(rest);
      upstream.write(rest.length > 0 ? Buffer.concat([head, rest]) : head);
      client.on('data', (chunk: Buffer) => {
        leg?.fromClient(chunk);
        relayChunk(client, upstream, chunk);
      });
      client.resume();
    });
    upstream.on('data', (chunk: Buffer) => {
      leg?.fromServer(chunk);
      relayChunk(upstream, client, chunk);
    });
    // Half-closes pass through as they come; either side gone ends the other.
    client.on('end', () => {
      closedBy ??= 'browser';
      upstream.end();
    });
    upstream.on('end', () => {
      closedBy ??= 'nginx';
      client.end();
    });
    let done = false;
    const teardown = () => {
      if (done) return;
      done = true;
      if (leg && watched) finish(leg, watched.head, closedBy, watched.log ?? log);
      client.destroy();
      upstream.destroy();
    };
    client.once('close', teardown);
    upstream.once('close', teardown);
  }

  function finish(leg: Leg, head: RequestHead, closedBy: 'browser' | 'nginx' | undefined, log: NginxErrorLog | undefined): void {
    if (closedBy === 'nginx') {
      for (const said of log?.about(`${head.method} ${head.target} HTTP/${head.httpVersion}`) ?? []) leg.error(said.code, said.message, 'server-to-client');
    }
    leg.end(closedBy === 'nginx' ? 'nginx closed the TCP connection without a close handshake' : undefined);
  }

  return {
    server,
    listen: async () => {
      listenPort = await lifecycle.listen();
      return listenPort;
    },
    close: lifecycle.close,
  };
}
