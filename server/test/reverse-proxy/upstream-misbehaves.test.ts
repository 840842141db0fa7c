import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createReverseProxy, type ReverseProxy } from '../../src/reverse-proxy/server.ts';
import { MemoryTranscriptStore } from '../../src/transcript/store.ts';
import { connection, eventsOf, exchange, upgradeRequest } from '../helpers/net.ts';

// An upstream that is up but does not behave like an HTTP server: the browser still gets an
// answer that says what happened, and the proxy keeps serving.

let upstream: Server | undefined;
let proxy: ReverseProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await new Promise((r) => (upstream ? upstream.close(r) : r(undefined)));
});

async function behind(onUpstream: (socket: Socket) => void) {
  upstream = createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => onUpstream(socket));
  });
  await new Promise<void>((r) => upstream!.listen(0, '127.0.0.1', r));
  const store = new MemoryTranscriptStore();
  const session = store.createSession();
  proxy = createReverseProxy({ store, upstream: { host: '127.0.0.1', port: (upstream.address() as AddressInfo).port }, port: 0 });
  const port = await proxy.listen();
  return { store, session, port };
}

describe('an upstream that misbehaves', () => {
  it('closes without answering → 502 naming it', async () => {
    const { store, session, port } = await behind((socket) => socket.end());
    const { text } = await exchange(port, upgradeRequest(`/nginx-websocket/echo?lab=${session}&conn=silent`, port));
    expect(text).toMatch(/^HTTP\/1.1 502 /);
    expect(text).toContain('closed the connection before sending a response');
    expect(eventsOf(connection(store, session, 'silent'), 'error').map((e) => e.code)).toContain('UPSTREAM_CLOSED');
  });

  it('answers garbage → 502 naming the bad status line', async () => {
    const { port } = await behind((socket) => socket.end('SSH-2.0-OpenSSH_9.2\r\n\r\n'));
    const { text } = await exchange(port, upgradeRequest('/nginx-websocket/echo', port));
    expect(text).toMatch(/^HTTP\/1.1 502 /);
    expect(text).toContain('not an HTTP/1.x status line');
  });

  it('vanishes mid-frame after the 101 → the browser side is closed and the partial frame recorded', async () => {
    const { store, session, port } = await behind((socket) => {
      socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n');
      socket.write(Buffer.from('810a48656c', 'hex')); // announces 10 bytes, sends 3
      setTimeout(() => socket.destroy(), 20);
    });
    const { text } = await exchange(port, upgradeRequest(`/nginx-websocket/echo?lab=${session}&conn=vanish`, port));
    expect(text).toMatch(/^HTTP\/1.1 101 /);
    const c = connection(store, session, 'vanish');
    const partial = eventsOf(c, 'frame').filter((f) => f.from === 'echo');
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.every((f) => f.truncated && f.length === 10)).toBe(true);
    expect(eventsOf(c, 'error').map((e) => e.code)).toContain('INCOMPLETE_FRAME');
  });
});
