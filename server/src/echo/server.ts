import { createServer, type Server, type Socket } from 'node:net';
import { listening } from '../listener.ts';
import { WebSocketServer, type WebSocket } from 'ws';
import type { TranscriptStore } from '../transcript/store.ts';
import type { Party, Route } from '../transcript/types.ts';
import { Leg } from '../tap/leg.ts';
import { tapWrites } from '../tap/socket-tap.ts';
import { headerValue, MAX_HEAD_BYTES, nodeHeaders, type RequestHead } from '../wire/http-head.ts';
import { newConnectionId } from '../transcript/store.ts';
import { DEFAULT_HEAD_TIMEOUT_MS, readRequestHead } from '../flow.ts';
import type { DescriptorGuard } from '../descriptors.ts';
import { fileHeadFailure } from '../tap/head-failure.ts';
import { checkHandshake } from './handshake.ts';
import { refuse } from '../wire/refusal.ts';
import { FAULTS, findFault } from './faults.ts';
import { parseEchoParams, type EchoParams } from './params.ts';
import { LiveConnections } from './live.ts';
import { echoMessages } from './behaviour.ts';
import type { HandshakeCorrelation } from '../tap/correlation.ts';
import { isEncrypted } from '../tls/front.ts';
import type { TunnelCorrelation } from '../tap/tunnel-correlation.ts';

export interface EchoServerOptions {
  store: TranscriptStore;
  host?: string;
  port?: number;
  maxCapture?: number;
  /** How long a client may take to send its whole request head (client_header_timeout); then 408. */
  headTimeoutMs?: number;
  /** Connections a hop in front filed without a `conn` in the URL, to file this side under the same one. */
  correlation?: HandshakeCorrelation;
  /** Where the forward proxy waits to learn which connection a TLS tunnel carries. */
  tunnels?: TunnelCorrelation;
  /** The largest message `ws` accepts (`--max-payload`); a larger one is closed with 1009. */
  maxPayload?: number;
  guard?: DescriptorGuard;
}

export interface EchoServer {
  server: Server;
  live: LiveConnections;
  listen(): Promise<number>;
  /**
   * Stops the echo server. With `graceMs`, every open WebSocket is first sent a close frame
   * 1001 (going away) and given that long to finish the closing handshake.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

/** The largest message the echo server and the proxies accept by default: 16 MiB. */
export const DEFAULT_MAX_PAYLOAD = 16 * 1024 * 1024;

/** Who stands on the other end of the echo server's socket, given how the browser routed. */
const PEER: Record<Route, Party> = {
  direct: 'browser',
  'reverse-proxy': 'reverse-proxy',
  nginx: 'nginx',
  'forward-proxy': 'forward-proxy',
};

/**
 * The echo server: `ws` speaks WebSocket and echoes; the lab owns the socket from its first
 * byte, reads the request head itself (so the transcript has it exactly as sent), answers
 * bad handshakes with the status RFC 6455 names, and taps both directions into a Leg.
 */
export function createEchoServer(options: EchoServerOptions): EchoServer {
  const { store } = options;
  const live = new LiveConnections();
  // `ws` keeps a whole message in memory before echoing it: its limit bounds that (its own default is 100 MiB).
  const maxPayload = options.maxPayload ?? DEFAULT_MAX_PAYLOAD;
  const plain = new WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols, maxPayload });
  const deflating = new WebSocketServer({ noServer: true, perMessageDeflate: { threshold: 0 }, handleProtocols, maxPayload });
  const server = createServer();
  const lifecycle = listening(server, { name: 'echo server', host: options.host, port: options.port, ...(options.guard ? { guard: options.guard } : {}) }, accept);

  function accept(socket: Socket): void {
    let leg: Leg | undefined;
    socket.on('error', (err) => leg?.error(errnoCode(err), `echo server socket: ${err.message}`));
    socket.on('close', () => leg?.end());
    tapWrites(socket, (bytes) => leg?.fromServer(bytes));

    readRequestHead(socket, { limit: MAX_HEAD_BYTES, timeoutMs: options.headTimeoutMs ?? DEFAULT_HEAD_TIMEOUT_MS }, (result) => {
      if (!result.ok) {
        leg = fileHeadFailure({ store, observer: 'echo', client: 'browser', route: 'direct', socket, failure: result, ...cap() });
        const status = result.error.status;
        if (status === undefined) return void socket.destroy();
        return refuse(socket, { status, reason: result.error.message });
      }
      const params = parseEchoParams(result.head.target);
      leg = fileRequest(socket, result.head, params);
      handshake(socket, result.head, params, leg, result.rest);
    });
  }

  function fileRequest(socket: Socket, head: RequestHead, params: EchoParams): Leg {
    // The hop in front filed the connection under this key: by it the echo server finds the
    // connection when the URL names none, and its peer (the reverse proxy behind the forward proxy) either way.
    const claimed = options.correlation?.claim(headerValue(head.headers, 'sec-websocket-key'));
    const byKey = params.conn === undefined ? claimed : undefined;
    const session = byKey?.session ?? store.resolveSession(params.session);
    const conn = byKey?.conn ?? params.conn ?? newConnectionId();
    // A TLS tunnel through the forward proxy ends here: its record goes under this connection, first, so the route is the proxy's.
    const tunnel = isEncrypted(socket) ? options.tunnels?.claim(socket.remotePort) : undefined;
    tunnel?.(session, conn);
    const front = tunnel ? 'forward-proxy' : claimed && claimed.session === session && claimed.conn === conn ? claimed.peer : undefined;
    const host = headerValue(head.headers, 'host') ?? `${socket.localAddress}:${socket.localPort}`;
    // Filed first here, the connection took no proxy: `direct`, whatever the page chose.
    const meta = store.openConnection(session, conn, { url: `${isEncrypted(socket) ? 'wss' : 'ws'}://${host}${head.target}`, route: 'direct' });
    const leg = new Leg({ store, session, conn, observer: 'echo', client: front ?? PEER[meta.route], server: 'echo', ...cap() });
    leg.request(head);
    return leg;
  }

  function cap() {
    return options.maxCapture === undefined ? {} : { maxCapture: options.maxCapture };
  }

  function handshake(socket: Socket, head: RequestHead, params: EchoParams, leg: Leg, rest: Buffer): void {
    const refusal = checkHandshake(head, params);
    if (refusal) return refuse(socket, refusal);
    const key = headerValue(head.headers, 'sec-websocket-key')!;
    const fault = findFault(params.fault);
    if (params.fault !== undefined && !fault) {
      return refuse(socket, { status: 400, reason: `unknown fault=${params.fault}; the echo server knows ${FAULTS.map((f) => f.name).join(', ')}` });
    }
    if (fault?.handshake) return fault.handshake(socket, key);

    const wss = params.deflate ? deflating : plain;
    const req = { method: head.method, url: head.target, headers: nodeHeaders(head.headers), socket, params };
    const onHeaders = (lines: string[], r: unknown) => {
      if (r !== req) return;
      if (fault?.headers) lines.splice(0, lines.length, ...fault.headers(lines, key));
    };
    wss.on('headers', onHeaders);
    // The socket is still paused from reading the head: ws unshifts `rest` onto it, and on
    // resume those bytes flow to the tap's listener too.
    try {
      wss.handleUpgrade(req as never, socket, rest, (ws) => opened(ws, socket, params, leg));
    } finally {
      wss.removeListener('headers', onHeaders);
    }
    // First in line: ws unmasks payloads in place inside the very chunk it is handed, so a
    // listener after it would read unmasked bytes and unmask them a second time.
    socket.prependListener('data', (chunk: Buffer) => leg.fromClient(chunk));
    socket.resume();
  }

  function opened(ws: WebSocket, socket: Socket, params: EchoParams, leg: Leg): void {
    const session = store.resolveSession(params.session);
    const key = params.conn ? live.add(session, params.conn, ws) : undefined;
    ws.on('error', (err: Error & { code?: string }) => leg.error(err.code ?? 'WS_ERROR', `ws: ${err.message}`));
    ws.on('close', () => key && live.remove(key, ws));
    echoMessages(ws, live, key);
    if (params.heartbeatMs !== undefined) {
      const timer = setInterval(() => ws.ping(Buffer.from('heartbeat')), params.heartbeatMs);
      ws.on('close', () => clearInterval(timer));
    }
    findFault(params.fault)?.open?.(ws, socket);
  }

  /** Picks by the client's order among the protocols the URL's `protocols=` accepts (RFC 6455 §4.2.2). */
  function handleProtocols(offered: Set<string>, req: object): string | false {
    const accepted = (req as { params?: EchoParams }).params?.protocols ?? [];
    for (const p of offered) if (accepted.includes(p)) return p;
    return false;
  }

  return {
    server,
    live,
    listen: lifecycle.listen,
    close: async ({ graceMs = 0 } = {}) => {
      lifecycle.stopAccepting();
      if (graceMs > 0) {
        for (const ws of [...plain.clients, ...deflating.clients]) ws.close(1001, 'going away');
      }
      await lifecycle.drain(graceMs);
      live.terminateAll();
    },
  };
}

function errnoCode(err: Error & { code?: string }): string {
  return err.code ?? 'SOCKET_ERROR';
}
