// A TLS listener in front of one of the lab's plain listeners: it terminates TLS and hands the
// decrypted socket to that listener exactly as a new TCP connection (`'connection'`), so the
// echo server, the reverse proxy and the UI read, tap and record it with the code they use for
// plain connections. Only the scheme differs: `socket.encrypted` says it came over TLS.

import type { Server, Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type { DescriptorGuard } from '../descriptors.ts';
import { listening } from '../listener.ts';
import { log } from '../log.ts';
import type { LabCertificate } from './certificate.ts';
import { newConnectionId, type TranscriptStore } from '../transcript/store.ts';
import type { Party, Route } from '../transcript/types.ts';

export interface TlsFrontOptions {
  /** `echo server (TLS)`: for log lines and the descriptor guard. */
  name: string;
  certificate: Pick<LabCertificate, 'cert' | 'key'>;
  /** The plain listener's server that gets each decrypted socket (or `route` chooses one). */
  into: Server | ((socket: TLSSocket) => void);
  host?: string;
  port?: number;
  /** A whole TLS handshake must finish within this, as a request head must (ms). */
  handshakeTimeoutMs?: number;
  /**
   * Where a failed TLS handshake is filed (the terminal clients' session: no request, so no page
   * to name), and as whose observation. Omitted: not recorded (the UI's own HTTPS port).
   */
  record?: { store: TranscriptStore; observer: Party; route: Route };
  /** ALPN protocols offered; `http/1.1` when omitted (this front never speaks h2). */
  alpn?: string[];
  guard?: DescriptorGuard;
}

export interface TlsFront {
  server: ReturnType<typeof createTlsServer>;
  listen(): Promise<number>;
  close(options?: { graceMs?: number }): Promise<void>;
}

/** Whether a socket a listener was handed came over TLS. */
export function isEncrypted(socket: Socket): boolean {
  return (socket as Partial<TLSSocket>).encrypted === true;
}

export function createTlsFront(options: TlsFrontOptions): TlsFront {
  const server = createTlsServer({
    cert: options.certificate.cert,
    key: options.certificate.key,
    ALPNProtocols: options.alpn ?? ['http/1.1'],
    handshakeTimeout: options.handshakeTimeoutMs ?? 60_000,
    minVersion: 'TLSv1.2',
  });
  // The raw TCP sockets are tracked here; the decrypted ones by the plain listener they go to.
  const lifecycle = listening(server, { name: options.name, host: options.host, port: options.port, ...(options.guard ? { guard: options.guard } : {}) });
  server.on('secureConnection', (socket: TLSSocket) => {
    socket.on('error', () => socket.destroy());
    if (typeof options.into === 'function') options.into(socket);
    else options.into.emit('connection', socket);
  });
  // A client that does not trust the certificate ends the handshake with an alert (Chromium: 46,
  // certificate_unknown): no request was read, so it is filed under the terminal clients' session.
  server.on('tlsClientError', (err: NodeJS.ErrnoException, socket: TLSSocket) => {
    const alert = /alert number (\d+)/.exec(err.message)?.[1];
    const what = /alert ([a-z ]+):/i.exec(err.message)?.[1]?.replace(/^sslv3 alert /, '').trim();
    if (options.record) {
      const { store, observer, route } = options.record;
      const session = store.resolveSession(undefined);
      const conn = newConnectionId('raw');
      store.openConnection(session, conn, { url: `tls://${socket.localAddress ?? ''}:${socket.localPort ?? ''}`, route });
      const why = alert ? `the client ended the TLS handshake with alert ${alert} (${what ?? 'unknown'})` : `the TLS handshake failed: ${err.code ?? err.message}`;
      const trust = alert === '46' || alert === '48' || alert === '42' ? ": it does not trust this lab's certificate (Chromium reports net::ERR_CERT_AUTHORITY_INVALID and gives the page 1006)" : '';
      store.append(session, conn, { kind: 'error', observer, from: 'browser', to: observer, code: 'TLS_HANDSHAKE_FAILED', message: `${options.name}: ${why}${trust}` });
    } else if (!/ECONNRESET|certificate|alert/i.test(`${err.code ?? ''} ${err.message}`)) log(`${options.name}: TLS handshake failed: ${err.code ?? ''} ${err.message}`);
    socket.destroy();
  });
  return {
    server,
    listen: lifecycle.listen,
    close: ({ graceMs = 0 } = {}) => lifecycle.drain(graceMs),
  };
}
