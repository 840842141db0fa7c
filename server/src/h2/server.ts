// The lab over HTTP/2 (TLS, ALPN h2): the page and the API, and WebSockets opened as extended
// CONNECT streams on the page's own connection (RFC 8441), because the server advertises
// SETTINGS_ENABLE_CONNECT_PROTOCOL. A client that offers only http/1.1 (Chromium opening a
// WebSocket on a connection of its own) is handed to the echo server, as HTTP/1.1.

import { createServer, Http2ServerRequest, Http2ServerResponse, type IncomingHttpHeaders, type ServerHttp2Session, type ServerHttp2Stream } from 'node:http2';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Server, Socket } from 'node:net';
import type { DescriptorGuard } from '../descriptors.ts';
import { createTlsFront } from '../tls/front.ts';
import type { LabCertificate } from '../tls/certificate.ts';
import { acceptH2WebSocket, isExtendedConnect, type H2WebSocketContext } from './websocket.ts';

export interface H2ListenerOptions extends H2WebSocketContext {
  certificate: Pick<LabCertificate, 'cert' | 'key'>;
  /** The UI and API's request handler. */
  api: (req: IncomingMessage, res: ServerResponse) => void;
  /** The echo server's listener, for a WebSocket over HTTP/1.1 on this port. */
  echo: Server;
  /** SETTINGS_ENABLE_CONNECT_PROTOCOL (default true): without it Chromium opens its WebSockets over a new HTTP/1.1 connection. */
  enableConnectProtocol?: boolean;
  host?: string;
  port?: number;
  guard?: DescriptorGuard;
}

export interface H2Listener {
  listen(): Promise<number>;
  close(options?: { graceMs?: number }): Promise<void>;
}

/** An HTTP/1.1 request head as it arrived, for the echo server to read as if it came first. */
function requestHeadBytes(req: IncomingMessage): Buffer {
  const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}

export function createH2Listener(options: H2ListenerOptions): H2Listener {
  // HTTP/2 over sockets the TLS front has decrypted: only 'stream' is listened to. A 'request'
  // listener would turn on Node's compatibility layer, which ends the writable side of a CONNECT
  // stream it hands to 'request' and so cuts every WebSocket.
  const h2 = createServer({ settings: { enableConnectProtocol: options.enableConnectProtocol ?? true } });
  const sessions = new Set<ServerHttp2Session>();
  h2.on('session', (session: ServerHttp2Session) => {
    sessions.add(session);
    session.on('error', () => session.destroy());
    session.once('close', () => sessions.delete(session));
  });
  h2.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, _flags: number, raw: string[]) => {
    stream.on('error', () => stream.destroy());
    if (isExtendedConnect(headers)) return acceptH2WebSocket(options, stream, headers, raw);
    const req = new Http2ServerRequest(stream, headers, {}, raw);
    const res = new Http2ServerResponse(stream);
    // HTTP/2 carries the host in :authority; the API's boundary reads Host.
    if (req.headers.host === undefined) req.headers.host = req.authority;
    options.api(req as unknown as IncomingMessage, res as unknown as ServerResponse);
  });
  // HTTP/1.1 on this port: Chromium opening a WebSocket on a connection of its own (no h2 with the
  // setting to reuse). Its upgrade goes to the echo server, head and all; anything else to the UI.
  const http1 = createHttpServer((req, res) => options.api(req, res));
  http1.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.unshift(Buffer.concat([requestHeadBytes(req), head]));
    options.echo.emit('connection', socket);
    socket.resume();
  });
  const front = createTlsFront({
    name: 'HTTP/2 listener',
    certificate: options.certificate,
    alpn: ['h2', 'http/1.1'],
    into: (socket) => (socket.alpnProtocol === 'h2' ? h2 : http1).emit('connection', socket),
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.guard ? { guard: options.guard } : {}),
  });
  return {
    listen: front.listen,
    close: async ({ graceMs = 0 } = {}) => {
      for (const session of sessions) session.close();
      await front.close({ graceMs });
      for (const session of sessions) session.destroy();
    },
  };
}
