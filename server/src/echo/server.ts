import { createServer, type Server, type Socket } from 'node:net';
import { listening } from '../listener.ts';
import { WebSocketServer, type WebSocket } from 'ws';
import type { TranscriptStore } from '../transcript/store.ts';
import type { Party, Route } from '../transcript/types.ts';
import { Leg } from '../tap/leg.ts';
import { tapWrites } from '../tap/socket-tap.ts';
import { headerValue, MAX_HEAD_BYTES, nodeHeaders, type RequestHead } from '../wire/http-head.ts';
import { newConnectionId } from '../transcript/store.ts';
import { readRequestHead } from '../flow.ts';
import { checkHandshake } from './handshake.ts';
import { refuse } from '../wire/refusal.ts';
import { FAULTS, findFault } from './faults.ts';
import { parseEchoParams, type EchoParams } from './params.ts';
import { LiveConnections } from './live.ts';
import { echoMessages } from './behaviour.ts';
import type { HandshakeCorrelation } from '../tap/correlation.ts';

export interface EchoServerOptions {
  store: TranscriptStore;
  host?: string;
  port?: number;
  maxCapture?: number;
  /** How long a client may take to send its whole request head. */
  headTimeoutMs?: number;
  /** Connections a hop in front filed without a `conn` in the URL, to file this side under the same one. */
  correlation?: HandshakeCorrelation;
}

export interface EchoServer {
  server: Server;
  live: LiveConnections;
  listen(): Promise<number>;
  close(): Promise<void>;
}

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
  const plain = new WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols });
  const deflating = new WebSocketServer({ noServer: true, perMessageDeflate: { threshold: 0 }, handleProtocols });
  const server = createServer((socket) => accept(socket));
  const lifecycle = listening(server, options.host, options.port);

  function accept(socket: Socket): void {
    let leg: Leg | undefined;
    // Bytes written before a leg exists (a 431 for a head never parsed) still belong in the transcript.
    const unfiled: Buffer[] = [];
    socket.on('error', (err) => leg?.error(errnoCode(err), `echo server socket: ${err.message}`));
    socket.on('close', () => leg?.end());
    tapWrites(socket, (bytes) => (leg ? leg.fromServer(bytes) : unfiled.push(bytes)));
    socket.setTimeout(options.headTimeoutMs ?? 10_000, () => {
      if (!leg) refuse(socket, { status: 408, reason: 'the request head did not arrive in time' });
    });

    readRequestHead(socket, MAX_HEAD_BYTES, (result) => {
      socket.setTimeout(0);
      if (!result.ok) {
        leg = fileUnparsed(socket, result.received);
        leg.error(result.error.code, result.error.message);
        return refuse(socket, { status: result.error.status ?? 400, reason: result.error.message });
      }
      const params = parseEchoParams(result.head.target);
      leg = fileRequest(socket, result.head, params);
      for (const bytes of unfiled.splice(0)) leg.fromServer(bytes);
      handshake(socket, result.head, params, leg, result.rest);
    });
  }

  function fileRequest(socket: Socket, head: RequestHead, params: EchoParams): Leg {
    const claimed = params.conn === undefined ? options.correlation?.claim(headerValue(head.headers, 'sec-websocket-key')) : undefined;
    const session = claimed?.session ?? store.resolveSession(params.session);
    const conn = claimed?.conn ?? params.conn ?? newConnectionId();
    const host = headerValue(head.headers, 'host') ?? `${socket.localAddress}:${socket.localPort}`;
    const meta = store.openConnection(session, conn, { url: `ws://${host}${head.target}`, route: 'direct' });
    const leg = new Leg({ store, session, conn, observer: 'echo', client: claimed?.peer ?? PEER[meta.route], server: 'echo', ...cap() });
    leg.request(head);
    return leg;
  }

  /** Garbage instead of HTTP: filed under `default` with what arrived, so the user can see it. */
  function fileUnparsed(socket: Socket, bytes: Buffer): Leg {
    const session = store.resolveSession(undefined);
    const conn = newConnectionId('raw');
    store.openConnection(session, conn, { url: `tcp://${socket.remoteAddress}:${socket.remotePort}`, route: 'direct' });
    const leg = new Leg({ store, session, conn, observer: 'echo', client: 'browser', server: 'echo', ...cap() });
    const preview = bytes.subarray(0, 256).toString('latin1').replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
    leg.error('NOT_HTTP', `received ${bytes.length} bytes that are not a whole HTTP request head: "${preview}"`);
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
    close: () => {
      live.terminateAll();
      return lifecycle.close();
    },
  };
}

function errnoCode(err: Error & { code?: string }): string {
  return err.code ?? 'SOCKET_ERROR';
}
