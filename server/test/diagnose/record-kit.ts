// Clients and helpers the recording scenarios share (record.ts runs them).
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import type { LiveConnections } from '../../src/echo/live.ts';
import type { MemoryTranscriptStore } from '../../src/transcript/store.ts';
import type { Party, Route } from '../../src/transcript/types.ts';

/** The proxy's proxy_read_timeout for the idle scenarios: short, so recording stays quick. */
export const IDLE_TIMEOUT_MS = 1500;
/** What the lab UI's page origin is; Chrome sends it as Origin. */
export const UI_ORIGIN = 'http://127.0.0.1:8080';

const FIRST_HOP: Record<Route, Party> = { direct: 'echo', 'reverse-proxy': 'reverse-proxy', nginx: 'nginx', 'forward-proxy': 'forward-proxy' };

export interface Lab {
  store: MemoryTranscriptStore;
  session: string;
  echoPort: number;
  proxyPort: number;
  /** A proxy whose upstream is a closed port. */
  deadProxyPort: number;
  /** A port nothing listens on. */
  closedPort: number;
  /** A reverse proxy in front of the echo server with a short head timeout. */
  shortTimeoutProxyPort: number;
  /** A reverse proxy (short timeouts) whose upstream accepts and never answers. */
  silentUpstreamProxyPort: number;
  /** A reverse proxy in front of the echo server with a 1 KiB max payload. */
  smallPayloadProxyPort: number;
  /** A forward proxy to the echo server, with a short head timeout; it may also tunnel to `silentPort`. */
  forwardProxyPort: number;
  /** A server that accepts connections and never says a word. */
  silentPort: number;
  /** The forward proxy's tls-only preset. */
  tlsOnlyProxyPort: number;
  /** The forward proxy's connect-443-only preset. */
  port443OnlyProxyPort: number;
  /** The echo server's side of the most recent connection it accepted. */
  lastEchoSocket(): Socket | undefined;
  act: LiveConnections['act'];
}

export interface Scenario {
  name: string;
  description: string;
  /** Drives the clients; returns the connection id, and the session when not the lab's own. */
  run(lab: Lab, conn: string): Promise<void | { session: string; conn: string }>;
}

/**
 * What the UI posts for the browser: same observer and direction as api/server.ts files it,
 * the browser's peer being the first hop that saw the connection (the route the wire showed).
 */
export function browserReport(
  lab: Lab,
  conn: string,
  route: Route,
  report: { kind: 'open'; protocol: string; extensions: string } | { kind: 'close'; code: number; reason: string; wasClean: boolean } | { kind: 'error'; code: string; message: string },
): void {
  const seen = { observer: 'browser', from: FIRST_HOP[lab.store.connectionMeta(lab.session, conn)?.route ?? route], to: 'browser' } as const;
  lab.store.append(lab.session, conn, { ...seen, ...report });
}

/**
 * A ws client standing in for Chrome: it offers what Chrome offers (permessage-deflate, the
 * page's Origin), and its events are reported as the UI reports Chrome's. Resolves on close.
 */
export function browserSocket(
  lab: Lab,
  conn: string,
  url: string,
  options: { route?: Route; protocols?: string[]; origin?: string; headers?: Record<string, string>; onOpen?: (ws: WebSocket) => void; tunnel?: Socket } = {},
): Promise<void> {
  const route = options.route ?? 'direct';
  // The page registers what it chose; the hops say which route the wire showed.
  lab.store.openConnection(lab.session, conn, { url, route, chosen: true, ...(route === 'reverse-proxy' ? { preset: new URL(url).pathname.split('/')[1] ?? '' } : {}) });
  return new Promise((resolve) => {
    const tunnel = options.tunnel;
    const ws = new WebSocket(url, options.protocols ?? [], {
      origin: options.origin ?? UI_ORIGIN,
      ...(options.headers ? { headers: options.headers } : {}),
      // A browser with proxy settings: the handshake goes inside a CONNECT tunnel it opened first.
      ...(tunnel ? { createConnection: () => tunnel } : {}),
    });
    let failed = false;
    ws.on('open', () => {
      browserReport(lab, conn, route, { kind: 'open', protocol: ws.protocol, extensions: ws.extensions });
      options.onOpen?.(ws);
    });
    ws.on('error', () => {
      failed = true;
      const message = 'The browser fired an error event on the WebSocket. Browsers never say why (by design); what each hop saw is in the Handshake, Frames and Close tabs.';
      browserReport(lab, conn, route, { kind: 'error', code: 'error-event', message });
    });
    ws.on('close', (code, reason) => {
      // Chromium reports 1006 with wasClean false whenever it failed the connection itself.
      const report = failed ? { code: 1006, reason: '', wasClean: false } : { code, reason: reason.toString(), wasClean: code !== 1006 };
      browserReport(lab, conn, route, { kind: 'close', ...report });
      resolve();
    });
  });
}

/** A CONNECT tunnel through the forward proxy to `port`, as Chromium opens one with --proxy-server: resolves once established. */
export function connectTunnel(lab: Lab, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(lab.forwardProxyPort, '127.0.0.1');
    const target = `127.0.0.1:${port}`;
    let head = '';
    socket.on('error', reject);
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.removeListener('data', onData);
      socket.removeListener('error', reject);
      socket.on('error', () => {});
      if (head.startsWith('HTTP/1.1 200 ')) resolve(socket);
      else reject(new Error(`the forward proxy refused CONNECT ${target}: ${head.split('\r\n')[0]}`));
    };
    socket.on('data', onData);
    socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\nProxy-Connection: keep-alive\r\n\r\n`);
  });
}

/**
 * Writes raw bytes and collects until the peer closes (or `until` says enough, then closes);
 * `then` may go on writing.
 */
export function rawClient(port: number, bytes: Buffer | string, until?: (received: Buffer, socket: Socket) => boolean, then?: (socket: Socket) => void): Promise<Buffer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    then?.(socket);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), 5000);
    socket.on('error', () => {});
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      if (until?.(Buffer.concat(chunks), socket)) socket.end();
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    socket.write(bytes);
  });
}

export function upgradeRequest(target: string, host: string, { extra = [] as string[], omit = [] as string[], version = '1.1', method = 'GET' } = {}): string {
  const headers = [
    `Host: ${host}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Origin: ${UI_ORIGIN}`,
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version: 13',
  ]
    .filter((h) => !omit.some((o) => h.toLowerCase().startsWith(`${o.toLowerCase()}:`)))
    .concat(extra);
  return `${method} ${target} HTTP/${version}\r\n${headers.join('\r\n')}\r\n\r\n`;
}

/** A masked client frame, as RFC 6455 §5.3 asks of clients. */
export function maskedFrame(first: number, payload: Buffer, mask = Buffer.from([0x37, 0xfa, 0x21, 0x3d])): Buffer {
  const masked = Buffer.from(payload);
  for (let i = 0; i < masked.length; i++) masked[i]! ^= mask[i % 4]!;
  return Buffer.concat([Buffer.from([first, 0x80 | payload.length]), mask, masked]);
}

