// What the forward proxy records of a TLS tunnel (wss://): the CONNECT and its 200, the
// ClientHello's server name and ALPN, and the bytes each way when it closes — nothing more,
// because nothing more is readable. It is filed under the page's connection when the lab's own
// TLS listener at the far end reads which one it is (tap/tunnel-correlation.ts), else under the
// terminal clients' session.

import type { Socket } from 'node:net';
import type { TunnelCorrelation } from '../tap/tunnel-correlation.ts';
import { newConnectionId, type TranscriptStore } from '../transcript/store.ts';
import type { Party } from '../transcript/types.ts';
import { parseClientHello } from '../wire/tls-client-hello.ts';

export interface TlsTunnelOptions {
  store: TranscriptStore;
  client: Socket;
  upstream: Socket;
  /** The bytes read so far from the browser: the start of its ClientHello. */
  first: Buffer;
  /** Bytes upstream sent before (relayed already). */
  serverBytesSoFar: number;
  /** Who is at the far end: one of the lab's listeners, else the server end. */
  farEnd: Party;
  /** Opens the connection under `session`/`conn` and files the CONNECT and its 200 there. */
  fileConnect: (session: string, conn: string) => void;
  tunnels?: TunnelCorrelation;
  /** How long to wait for the far end to say which connection it is before filing under default. */
  claimWithinMs: number;
}

export interface WatchedTlsTunnel {
  /** Whether a lab listener at the far end claimed it (it applies its own timeouts then). */
  claimed(): boolean;
  end(): void;
}

export function watchTlsTunnel(o: TlsTunnelOptions): WatchedTlsTunnel {
  const { store } = o;
  const parsed = parseClientHello(o.first);
  const seen = { observer: 'forward-proxy' as const, from: 'browser' as const, to: o.farEnd };
  const hello = parsed.ok
    ? { kind: 'tls-client-hello' as const, ...seen, ...(parsed.hello.serverName === undefined ? {} : { serverName: parsed.hello.serverName }), alpn: parsed.hello.alpn, versions: parsed.hello.versions, length: parsed.length }
    : { kind: 'tls-client-hello' as const, ...seen, alpn: [], versions: [], length: o.first.length, error: parsed.error };
  let clientToServer = o.first.length;
  let serverToClient = o.serverBytesSoFar;
  o.client.on('data', (chunk: Buffer) => (clientToServer += chunk.length));
  o.upstream.on('data', (chunk: Buffer) => (serverToClient += chunk.length));
  let where: { session: string; conn: string } | undefined;
  let byLab = false;
  const file = (session: string, conn: string) => {
    if (where) return;
    where = { session, conn };
    clearTimeout(timer);
    o.tunnels?.forget(port, claimedFile);
    o.fileConnect(session, conn);
    store.append(session, conn, hello);
  };
  const port = o.upstream.localPort;
  const claimedFile = (session: string, conn: string) => {
    byLab = true;
    file(session, conn);
  };
  o.tunnels?.expect(port, claimedFile);
  const toDefault = () => file(store.resolveSession(undefined), newConnectionId('raw'));
  const timer = setTimeout(toDefault, o.claimWithinMs);
  return {
    claimed: () => byLab,
    end: () => {
      o.tunnels?.forget(port, claimedFile);
      toDefault();
      store.append(where!.session, where!.conn, { kind: 'tunnel-bytes', ...seen, clientToServer, serverToClient });
    },
  };
}
