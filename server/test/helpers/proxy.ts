import WebSocket from 'ws';
import { createReverseProxy, type ReverseProxy } from '../../src/reverse-proxy/server.ts';
import { startEcho, type EchoFixture } from './net.ts';

export interface ProxyFixture extends EchoFixture {
  proxy: ReverseProxy;
  proxyPort: number;
}

export async function startProxy(options: { idleTimeoutMs?: number; capture?: boolean } = {}): Promise<ProxyFixture> {
  const echo = await startEcho();
  const proxy = createReverseProxy({ store: echo.store, upstream: { host: '127.0.0.1', port: echo.port }, port: 0, ...options });
  const proxyPort = await proxy.listen();
  return {
    ...echo,
    proxy,
    proxyPort,
    close: async () => {
      await proxy.close();
      await echo.close();
    },
  };
}

export type Outcome =
  | { kind: 'open'; ws: WebSocket; headers: Record<string, string | string[] | undefined> }
  | { kind: 'refused'; status: number; headers: Record<string, string | string[] | undefined>; body: string }
  | { kind: 'error'; message: string };

/** Opens a WebSocket and says how the handshake ended, refusals included. */
export function tryOpen(url: string, protocols?: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, protocols);
    ws.once('upgrade', (res) => ws.once('open', () => resolve({ kind: 'open', ws, headers: res.headers })));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ kind: 'refused', status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', () => resolve({ kind: 'refused', status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    ws.on('error', (err) => resolve({ kind: 'error', message: err.message })); // later errors settle nothing but must not throw
  });
}
