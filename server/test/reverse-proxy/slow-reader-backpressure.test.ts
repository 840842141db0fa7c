import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { createReverseProxy, type ReverseProxy } from '../../src/reverse-proxy/server.ts';
import { MemoryTranscriptStore } from '../../src/transcript/store.ts';
import { upgradeRequest } from '../helpers/net.ts';

// An upstream that stops reading must slow the browser down, not fill the proxy's memory:
// the proxy pauses the side it reads from until the side it writes to drains.

let upstream: Server;
const upstreamSockets: import('node:net').Socket[] = [];
let proxy: ReverseProxy;
let port: number;
beforeAll(async () => {
  upstream = createServer((socket) => {
    socket.on('error', () => {});
    upstreamSockets.push(socket);
    socket.once('data', () => {
      socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n');
      socket.pause(); // and never read again
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  proxy = createReverseProxy({ store: new MemoryTranscriptStore(), upstream: { host: '127.0.0.1', port: (upstream.address() as AddressInfo).port }, port: 0, capture: false });
  port = await proxy.listen();
});
afterAll(async () => {
  await proxy.close();
  for (const socket of upstreamSockets) socket.destroy(); // paused: it would never read the FIN
  await new Promise((r) => upstream.close(r));
});

it('stops reading from the browser while the upstream does not read', async () => {
  const client = connect(port, '127.0.0.1');
  client.on('error', () => {});
  await new Promise((r) => client.once('connect', r));
  client.write(upgradeRequest('/nginx-websocket/echo', port));
  await new Promise((r) => client.once('data', r));
  const total = 64 * 1024 * 1024;
  const block = Buffer.alloc(1024 * 1024, 0x61);
  for (let sent = 0; sent < total; sent += block.length) client.write(block);
  await new Promise((r) => setTimeout(r, 1000));
  // Loopback buffers hold a few MB per socket; everything else must still be waiting in the
  // browser's own write queue rather than in the proxy.
  expect(client.writableLength).toBeGreaterThan(16 * 1024 * 1024);
  client.destroy();
}, 20_000);
