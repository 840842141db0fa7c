import { connect, createServer, isIP, type Server, type Socket } from 'node:net';
import { listening } from '../listener.ts';
import { readRequestHead, relayChunk } from '../flow.ts';
import type { TranscriptStore } from '../transcript/store.ts';
import { Leg } from '../tap/leg.ts';
import { HeadReader, labParams, parseRequestHead, type RequestHead } from '../wire/http-head.ts';
import { newConnectionId } from '../transcript/store.ts';
import { refuse, statusForSocketError } from '../wire/refusal.ts';

export interface ForwardProxyOptions {
  store: TranscriptStore;
  host?: string;
  port?: number;
  maxCapture?: number;
  /** How long to wait for the tunnelled host to accept; then 504. */
  connectTimeoutMs?: number;
}

export interface ForwardProxy {
  server: Server;
  listen(): Promise<number>;
  close(): Promise<void>;
}

/** Longest CONNECT head accepted: a request line and a few headers, not a body. */
const MAX_CONNECT_HEAD = 8 * 1024;

/** The lab's forward proxy tunnels only to this machine, so it can never serve as an open proxy. */
function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1';
}

function splitAuthority(target: string): { host: string; port: number } | undefined {
  const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(target);
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65535) return undefined;
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port };
}

/**
 * An HTTP forward proxy that tunnels with CONNECT (RFC 9110 §9.3.6), as Chromium uses for
 * ws:// when `--proxy-server` is set. The tunnel is opaque to the proxy, but the lab reads
 * it passively: the WebSocket handshake inside names the session and connection, and the
 * frames are decoded like on any other leg.
 */
export function createForwardProxy(options: ForwardProxyOptions): ForwardProxy {
  const { store } = options;
  const server = createServer(function onClient(client) {
    client.on('error', () => client.destroy());
    client.setNoDelay(true); // small frames must not wait for Nagle's algorithm
    readRequestHead(client, MAX_CONNECT_HEAD, (result) => {
      if (!result.ok) return refuse(client, { status: result.error.status ?? 400, reason: result.error.message });
      tunnel(client, result.head, result.rest);
    });
  });
  const lifecycle = listening(server, options.host, options.port);

  function tunnel(client: Socket, connectHead: RequestHead, rest: Buffer): void {
    if (connectHead.method !== 'CONNECT') {
      return refuse(client, { status: 405, reason: `this proxy only tunnels with CONNECT (RFC 9110 §9.3.6); got ${connectHead.method}`, headers: [['Allow', 'CONNECT']] });
    }
    const authority = splitAuthority(connectHead.target);
    if (!authority) return refuse(client, { status: 400, reason: `CONNECT needs host:port, not ${JSON.stringify(connectHead.target)}` });
    if (!isLoopbackHost(authority.host)) {
      return refuse(client, { status: 403, reason: `the lab's forward proxy tunnels only to this machine (127.0.0.0/8, ::1, localhost), not ${authority.host}` });
    }
    const upstream = connect({ host: authority.host, port: authority.port });
    lifecycle.track(upstream);
    upstream.setNoDelay(true);
    upstream.setTimeout(options.connectTimeoutMs ?? 5_000, () => upstream.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    upstream.on('error', (err: Error & { code?: string }) => {
      if (upstream.connecting || !established) {
        const status = statusForSocketError(err.code);
        refuse(client, { status, reason: `the tunnel to ${connectHead.target} failed: ${err.code ?? err.message}` });
      } else client.destroy();
    });
    let established = false;
    upstream.once('connect', () => {
      established = true;
      upstream.setTimeout(0);
      if (client.destroyed) return void upstream.destroy();
      client.write('HTTP/1.1 200 Connection established\r\n\r\n');
      watch(client, upstream, connectHead);
      if (rest.length > 0) client.unshift(rest);
      client.resume();
    });
  }

  /** Pipes the tunnel and, once the handshake inside names its connection, records both ends. */
  function watch(client: Socket, upstream: Socket, connectHead: RequestHead): void {
    let leg: Leg | undefined;
    const pending: Buffer[] = [];
    const reader = new HeadReader();
    const fromClient = (chunk: Buffer) => {
      relayChunk(client, upstream, chunk);
      if (leg) return leg.fromClient(chunk);
      let found;
      try {
        found = reader.push(chunk);
      } catch {
        return; // not HTTP inside the tunnel: relay it, record nothing
      }
      if (!found) return;
      let head: RequestHead | undefined;
      try {
        head = parseRequestHead(found.head);
      } catch {
        return;
      }
      leg = fileTunnel(connectHead, head);
      leg.fromClient(found.rest);
      for (const bytes of pending.splice(0)) leg.fromServer(bytes);
    };
    client.on('data', fromClient);
    upstream.on('data', (chunk: Buffer) => {
      relayChunk(upstream, client, chunk);
      if (leg) leg.fromServer(chunk);
      else if (pending.length < 64) pending.push(chunk);
    });
    // Either side ending ends the tunnel: half-open tunnels would leak descriptors.
    const teardown = () => {
      leg?.end();
      client.destroy();
      upstream.destroy();
    };
    client.once('close', teardown);
    upstream.once('close', teardown);
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
  }

  function fileTunnel(connectHead: RequestHead, head: RequestHead): Leg {
    const params = labParams(head.target);
    const session = store.resolveSession(params.get('lab'));
    const conn = params.get('conn') ?? newConnectionId();
    store.openConnection(session, conn, { url: `ws://${connectHead.target}${head.target}`, route: 'forward-proxy' });
    store.append(session, conn, { kind: 'connect', observer: 'forward-proxy', from: 'browser', to: 'forward-proxy', target: connectHead.target, headers: connectHead.headers });
    store.append(session, conn, {
      kind: 'response', observer: 'forward-proxy', from: 'forward-proxy', to: 'browser',
      status: 200, reason: 'Connection established', httpVersion: '1.1', headers: [],
    });
    const leg = new Leg({ store, session, conn, observer: 'forward-proxy', client: 'browser', server: 'echo', ...(options.maxCapture ? { maxCapture: options.maxCapture } : {}) });
    leg.request(head);
    return leg;
  }

  return {
    server,
    listen: lifecycle.listen,
    close: lifecycle.close,
  };
}
