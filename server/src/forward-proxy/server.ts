import { connect, createServer, type Server, type Socket } from 'node:net';
import { isDescriptorExhaustion, type DescriptorGuard } from '../descriptors.ts';
import { logOnce } from '../log.ts';
import { DEFAULT_HEAD_TIMEOUT_MS, idleTimer, readRequestHead, type RequestHeadResult } from '../flow.ts';
import { listening } from '../listener.ts';
import { fileHeadFailure } from '../tap/head-failure.ts';
import type { HandshakeCorrelation } from '../tap/correlation.ts';
import { Leg } from '../tap/leg.ts';
import type { TranscriptStore } from '../transcript/store.ts';
import type { Party } from '../transcript/types.ts';
import { newConnectionId } from '../transcript/store.ts';
import { Tunnel } from '../tunnel.ts';
import { headerValue, labParams, MAX_HEAD_BYTES, type RequestHead } from '../wire/http-head.ts';
import { refuse, statusForSocketError, type Refusal } from '../wire/refusal.ts';
import { checkTarget, splitAuthority, thisMachine, type ForwardProxyAllow } from './allowlist.ts';
import type { Exchange } from '../reverse-proxy/exchange.ts';
import { absoluteTarget, forwardAbsoluteUri } from './http-only.ts';
import { watchTlsTunnel } from './tls-tunnel.ts';
import type { TunnelCorrelation } from '../tap/tunnel-correlation.ts';
import { firstLine, presetRefusesConnect, startsWithTlsHandshake, type ForwardProxyPresetName } from './presets.ts';

export interface ForwardProxyOptions {
  store: TranscriptStore;
  /** Where the proxy may tunnel: the lab's own listeners, plus `--forward-proxy-allow` targets. */
  allow: ForwardProxyAllow;
  host?: string;
  port?: number;
  maxCapture?: number;
  /** How long to wait for the tunnelled host to accept; then 504. */
  connectTimeoutMs?: number;
  /**
   * client_header_timeout for the CONNECT head (then 408) and for the request inside the
   * tunnel; also how long a tunnel that never upgraded may stay silent.
   */
  headTimeoutMs?: number;
  /** The largest message relayed (`--max-payload`); a larger one is closed with 1009. */
  maxPayload?: number;
  guard?: DescriptorGuard;
  /**
   * Which of the lab's listeners answers on a port of this machine (the reverse proxy, real
   * nginx, the echo server): the party at the tunnel's far end. Anything else is the server end, `echo`.
   */
  listenerAt?: (port: number) => Party | undefined;
  /** Files the next hop's side of a connection whose URL names none under the proxy's id. */
  correlation?: HandshakeCorrelation;
  /** Where a lab TLS listener behind a tunnel says which connection it carries (tap/tunnel-correlation.ts). */
  tunnels?: TunnelCorrelation;
  /** A corporate proxy's behaviour (presets.ts); the plain CONNECT proxy when omitted. */
  preset?: ForwardProxyPresetName;
  /** Ports that stand in for 443 (the lab's TLS listeners), for `connect-443-only`. */
  tlsPorts?: () => readonly number[];
}

export interface ForwardProxy {
  server: Server;
  listen(): Promise<number>;
  /** With `graceMs`, every WebSocket seen inside a tunnel is first sent 1001 (going away) both ways. */
  close(options?: { graceMs?: number }): Promise<void>;
}

/** Longest CONNECT head accepted: a request line and a few headers, not a body. */
const MAX_CONNECT_HEAD = 8 * 1024;

/**
 * An HTTP forward proxy that tunnels with CONNECT (RFC 9110 §9.3.6), as Chromium uses for
 * ws:// when `--proxy-server` is set, to the lab's own listeners only (allowlist.ts). The
 * tunnel is opaque to the proxy, but the lab reads it passively: the request head inside,
 * read with the same bounded reader as every listener, names the session and connection,
 * and a Leg decodes the frames. Bytes that are not HTTP (a TLS ClientHello) are relayed
 * unread. Every refusal and timeout is recorded.
 */
export function createForwardProxy(options: ForwardProxyOptions): ForwardProxy {
  const { store } = options;
  const headTimeoutMs = options.headTimeoutMs ?? DEFAULT_HEAD_TIMEOUT_MS;
  const cap = options.maxCapture === undefined ? {} : { maxCapture: options.maxCapture };
  const server = createServer();
  const lifecycle = listening(server, { name: 'forward proxy', host: options.host, port: options.port, ...(options.guard ? { guard: options.guard } : {}) }, onClient);
  const tunnels = new Set<{ tunnel: Tunnel; leg?: Leg }>();
  const exchanges = new Set<Exchange>();
  const name = options.preset ? `forward proxy (${options.preset})` : 'forward proxy';
  // How the http-only preset forwards a plain request: one exchange of the reverse proxy's kind.
  const settings = { upstream: { host: '127.0.0.1', port: 0 }, connectTimeoutMs: options.connectTimeoutMs ?? 5_000, responseTimeoutMs: headTimeoutMs, listenPort: 0, track: (socket: Socket) => lifecycle.track(socket), name };

  function onClient(client: Socket): void {
    client.setNoDelay(true); // small frames must not wait for Nagle's algorithm
    readRequestHead(client, { limit: MAX_CONNECT_HEAD, timeoutMs: headTimeoutMs }, (result) => {
      if (!result.ok) return refuseHead(client, result);
      const head = result.head;
      if (head.method !== 'CONNECT' && options.preset === 'http-only' && absoluteTarget(head.target)) {
        return forwardAbsoluteUri({ ...options, ...cap, settings, exchanges, farEnd }, client, head, result.rest);
      }
      if (head.method !== 'CONNECT') {
        return refuseRecorded(client, head, 'NOT_CONNECT', {
          status: 405,
          reason: `forward proxy: this proxy only tunnels with CONNECT (RFC 9110 §9.3.6); got ${head.method}`,
          headers: [['Allow', 'CONNECT']],
        });
      }
      const authority = splitAuthority(head.target);
      if (!authority) return refuseRecorded(client, head, 'BAD_CONNECT_TARGET', { status: 400, reason: `forward proxy: CONNECT needs host:port, not ${JSON.stringify(head.target)}` });
      // The preset's own rule comes first, as a corporate proxy's policy does.
      const own = presetRefusesConnect(options.preset, authority.port, options.tlsPorts?.() ?? []);
      if (own) return refuseRecorded(client, head, own.code, { status: own.status, reason: own.reason });
      const verdict = checkTarget(options.allow, authority.host, authority.port);
      if (!verdict.ok) return refuseRecorded(client, head, 'TARGET_NOT_ALLOWED', { status: 403, reason: verdict.reason });
      open(client, head, authority, result.rest);
    });
  }

  /** A CONNECT head that never became one: recorded under `default` (a CONNECT names no session). */
  function refuseHead(client: Socket, failure: Extract<RequestHeadResult, { ok: false }>): void {
    const leg = fileHeadFailure({ store, observer: 'forward-proxy', client: 'browser', route: 'forward-proxy', socket: client, failure, ...cap });
    client.once('close', () => leg?.end());
    const status = failure.error.status;
    if (status === undefined) return void client.destroy();
    refuse(client, { status, reason: `forward proxy: ${failure.error.message}` }, (bytes) => leg?.fromServer(bytes));
  }

  /** The proxy's own refusal of a CONNECT, recorded with the CONNECT and a code a diagnosis reads. */
  function refuseRecorded(client: Socket, head: RequestHead, code: string, refusal: Refusal): void {
    const leg = fileConnect(head, false, undefined, newConnectionId('raw'));
    leg.error(code, refusal.reason);
    client.once('close', () => leg.end());
    refuse(client, refusal, (bytes) => leg.fromServer(bytes));
  }

  /**
   * Files the CONNECT under `session`/`conn` (and the 200 when the tunnel was `established`),
   * and returns the leg that watches the browser's side: of the tunnelled request when there
   * is one, else of the proxy's own answer.
   */
  function fileConnect(connectHead: RequestHead, established: boolean, inner: RequestHead | undefined, conn: string, session = store.resolveSession(undefined)): Leg {
    const url = inner ? `ws://${connectHead.target}${inner.target}` : `tcp://${connectHead.target}`;
    // A CONNECT seen: the connection took the forward-proxy route, whatever the page chose.
    store.openConnection(session, conn, { url, route: 'forward-proxy', ...(options.preset ? { preset: options.preset } : {}) });
    store.append(session, conn, { kind: 'connect', observer: 'forward-proxy', from: 'browser', to: 'forward-proxy', target: connectHead.target, headers: connectHead.headers });
    if (established) {
      store.append(session, conn, {
        kind: 'response', observer: 'forward-proxy', from: 'forward-proxy', to: 'browser',
        status: 200, reason: 'Connection established', httpVersion: '1.1', headers: [],
      });
    }
    const server = inner ? farEnd(connectHead.target) : 'forward-proxy';
    return new Leg({ store, session, conn, observer: 'forward-proxy', client: 'browser', server, ...cap, ...(options.maxPayload === undefined ? {} : { maxPayload: options.maxPayload }) });
  }

  /** Who answers inside the tunnel: one of the lab's own listeners, else the server end. */
  function farEnd(target: string): Party {
    const authority = splitAuthority(target);
    const own = authority && thisMachine(authority.host, options.allow.boundHost) ? options.listenerAt?.(authority.port) : undefined;
    return own ?? 'echo';
  }

  function open(client: Socket, connectHead: RequestHead, authority: { host: string; port: number }, rest: Buffer): void {
    const upstream = connect({ host: authority.host, port: authority.port });
    lifecycle.track(upstream);
    upstream.setNoDelay(true);
    upstream.setTimeout(options.connectTimeoutMs ?? 5_000, () => upstream.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    let established = false;
    upstream.on('error', (err: Error & { code?: string }) => {
      if (isDescriptorExhaustion(err)) logOnce('exhausted', `forward proxy: ${err.code}: out of file descriptors opening tunnels; raise ulimit -n`);
      if (established) return client.destroy();
      const status = statusForSocketError(err.code);
      refuseRecorded(client, connectHead, 'TUNNEL_FAILED', { status, reason: `forward proxy: the tunnel to ${connectHead.target} failed: ${err.code ?? err.message}` });
    });
    client.once('close', () => {
      if (!established) upstream.destroy();
    });
    upstream.once('connect', () => {
      established = true;
      upstream.setTimeout(0);
      if (client.destroyed) return void upstream.destroy();
      client.write('HTTP/1.1 200 Connection established\r\n\r\n');
      if (rest.length > 0) client.unshift(rest);
      readTunnelledHead(client, upstream, connectHead);
    });
  }

  /**
   * The request inside the tunnel, read with the bounded reader; meanwhile whatever upstream
   * says goes straight to the browser and is kept (bounded in bytes) for the leg.
   */
  function readTunnelledHead(client: Socket, upstream: Socket, connectHead: RequestHead): void {
    const pending: Buffer[] = [];
    let pendingBytes = 0;
    let pendingDropped = 0;
    const limit = options.maxCapture ?? 64 * 1024;
    const early = (chunk: Buffer) => {
      if (!client.destroyed) client.write(chunk);
      if (pendingBytes + chunk.length <= limit) {
        pending.push(chunk);
        pendingBytes += chunk.length;
      } else pendingDropped += chunk.length;
    };
    upstream.on('data', early);
    upstream.once('close', () => client.destroy());
    readRequestHead(client, { limit: MAX_HEAD_BYTES, timeoutMs: headTimeoutMs }, (result) => {
      upstream.removeListener('data', early);
      upstream.pause();
      if (!result.ok && result.error.code === 'CLIENT_ABORTED') return void upstream.destroy();
      const first = result.ok ? result.raw : result.received;
      if (options.preset === 'tls-only' && first.length > 0 && !startsWithTlsHandshake(first)) return cutNotTls(client, upstream, connectHead, result);
      if (!result.ok && startsWithTlsHandshake(first)) {
        // wss:// (or any TLS): all the proxy can read is the ClientHello; the rest is relayed and counted.
        const watch = watchTlsTunnel({
          store, client, upstream, first, serverBytesSoFar: pendingBytes + pendingDropped, farEnd: farEnd(connectHead.target),
          fileConnect: (session, conn) => void fileConnect(connectHead, true, undefined, conn, session),
          ...(options.tunnels ? { tunnels: options.tunnels } : {}),
          claimWithinMs: Math.min(headTimeoutMs, 5_000),
        });
        upstream.write(first);
        return startTunnel(client, upstream, undefined, { end: () => watch.end(), error: () => {}, exempt: () => watch.claimed() });
      }
      let leg: Leg;
      if (result.ok) {
        const params = labParams(result.head.target);
        const session = store.resolveSession(params.get('lab'));
        const conn = params.get('conn') ?? newConnectionId();
        leg = fileConnect(connectHead, true, result.head, conn, session);
        // The hop at the far end files its side under this connection, by key when the URL names none.
        options.correlation?.expect(headerValue(result.head.headers, 'sec-websocket-key'), { session, conn, peer: 'forward-proxy' });
        leg.request(result.head);
        upstream.write(result.raw);
        leg.fromClient(result.rest);
        upstream.write(result.rest);
      } else {
        // Not HTTP inside (wss://, another protocol), or too slow: relay it unread, recorded once.
        leg = fileConnect(connectHead, true, undefined, newConnectionId('raw'));
        leg.error(result.error.code, `inside the tunnel: ${result.error.message}; the rest is relayed unread`, 'client-to-server', result.received);
        if (result.error.code === 'HEAD_TIMEOUT') {
          leg.end();
          client.destroy();
          return void upstream.destroy();
        }
        upstream.write(result.received);
      }
      if (pendingDropped > 0) leg.error('EARLY_DATA_DROPPED', `upstream sent ${pendingBytes + pendingDropped} bytes before the request inside the tunnel was whole; the lab kept the first ${pendingBytes}`, 'server-to-client');
      for (const chunk of pending) leg.fromServer(chunk);
      startTunnel(client, upstream, result.ok ? leg : undefined, leg);
    });
  }

  /**
   * tls-only: the first bytes inside the tunnel are not a TLS record, so the tunnel is cut without
   * relaying them. A ws:// request names its session, so the cut is filed where the page looks.
   */
  function cutNotTls(client: Socket, upstream: Socket, connectHead: RequestHead, result: RequestHeadResult): void {
    const first = result.ok ? result.raw : result.received;
    const params = result.ok ? labParams(result.head.target) : undefined;
    const conn = params?.get('conn') ?? newConnectionId('raw');
    const leg = fileConnect(connectHead, true, result.ok ? result.head : undefined, conn, store.resolveSession(params?.get('lab') ?? undefined));
    if (result.ok) leg.request(result.head);
    leg.error('NOT_TLS', `${name}: the first bytes inside the tunnel (${firstLine(first)}) are not a TLS ClientHello, so the tunnel was cut without relaying them`, 'client-to-server', first);
    leg.end();
    upstream.destroy();
    client.destroy();
  }

  /** `record` ends the tunnel's record; `exempt` keeps an idle tunnel a lab listener answers for (it has its own timeouts). */
  function startTunnel(client: Socket, upstream: Socket, watching: Leg | undefined, record: Pick<Leg, 'end' | 'error'> & { exempt?: () => boolean }): void {
    const entry: { tunnel: Tunnel; leg?: Leg } = {
      tunnel: new Tunnel({
        client,
        upstream,
        legs: { client: watching, upstream: watching },
        sendToClient: (bytes) => client.write(bytes),
        sendUpstream: (bytes) => upstream.write(bytes),
        onClose: () => {
          tunnels.delete(entry);
          idle.stop();
          record.end();
        },
      }),
      ...(watching ? { leg: watching } : {}),
    };
    tunnels.add(entry);
    // A tunnel that never carries an upgrade is closed once silent for the head timeout.
    const idle = idleTimer([client, upstream], headTimeoutMs, () => {
      if (watching?.upgraded || record.exempt?.()) return;
      record.error('IDLE_TIMEOUT', `no data either way for ${headTimeoutMs} ms in a tunnel that never upgraded; the forward proxy closed it`, 'client-to-server');
      client.destroy();
      upstream.destroy();
    });
    entry.tunnel.relayUpstream();
    entry.tunnel.relayClient();
  }

  return {
    server,
    listen: async () => {
      settings.listenPort = await lifecycle.listen();
      return settings.listenPort;
    },
    close: async ({ graceMs = 0 } = {}) => {
      lifecycle.stopAccepting();
      if (graceMs > 0) for (const { tunnel } of tunnels) tunnel.goAway();
      if (graceMs > 0) for (const x of exchanges) x.goAway();
      await lifecycle.drain(graceMs);
    },
  };
}
