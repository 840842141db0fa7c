import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { createForwardProxy, type ForwardProxy } from '../../src/forward-proxy/server.ts';
import { MemoryTranscriptStore } from '../../src/transcript/store.ts';
import { DEFAULT_SESSION } from '../../src/transcript/types.ts';
import { MAX_HEAD_BYTES } from '../../src/wire/http-head.ts';
import { eventsOf } from '../helpers/net.ts';

// Bytes that are not HTTP inside a CONNECT tunnel (any wss://) used to be re-buffered on every
// chunk after the head reader had given up: 100 MB took 56 s, growing quadratically, and RSS
// went from 86 to 471 MB. Now the tunnel's head is read once, bounded, and the rest is relayed.

const TOTAL = 100 * 1024 * 1024;
const CHUNK = 64 * 1024;

let store: MemoryTranscriptStore;
let proxy: ForwardProxy;
let proxyPort: number;
let sink: Server;
let sinkPort: number;
let received = 0;
beforeAll(async () => {
  sink = createServer((s) => {
    s.on('error', () => {});
    s.on('data', (c: Buffer) => (received += c.length));
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  sinkPort = (sink.address() as AddressInfo).port;
  store = new MemoryTranscriptStore();
  proxy = createForwardProxy({ store, port: 0, allow: { labPorts: () => [], targets: [`127.0.0.1:${sinkPort}`] } });
  proxyPort = await proxy.listen();
});
afterAll(async () => {
  await proxy.close();
  await new Promise((r) => sink.close(r));
});

async function pushThroughTunnel(first: number, fill: number): Promise<{ peakGrowthMiB: number }> {
  received = 0;
  const socket = connect(proxyPort, '127.0.0.1');
  socket.on('error', () => {});
  await new Promise<void>((resolve) => {
    socket.once('data', () => resolve());
    socket.write(`CONNECT 127.0.0.1:${sinkPort} HTTP/1.1\r\nHost: 127.0.0.1:${sinkPort}\r\n\r\n`);
  });
  const opening = Buffer.alloc(CHUNK, fill);
  opening[0] = first;
  const chunk = Buffer.alloc(CHUNK, fill);
  const base = process.memoryUsage().rss;
  let peak = base;
  for (let sent = 0; sent < TOTAL; sent += CHUNK) {
    if (!socket.write(sent === 0 ? opening : chunk)) await new Promise((r) => socket.once('drain', r));
    if (sent % (8 * 1024 * 1024) === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  const deadline = Date.now() + 30_000;
  while (received < TOTAL && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  peak = Math.max(peak, process.memoryUsage().rss);
  socket.destroy();
  expect(received).toBe(TOTAL);
  return { peakGrowthMiB: (peak - base) / 1024 / 1024 };
}

/** The NOT_HTTP or HEAD_TOO_LARGE the forward proxy recorded for the latest tunnel. */
function lastTunnelError() {
  const c = store.read(DEFAULT_SESSION)!.connections.at(-1)!;
  return eventsOf(c, 'error')[0]!;
}

it('100 MB after a TLS record header: read once, relayed whole, memory flat', async () => {
  const { peakGrowthMiB } = await pushThroughTunnel(0x16, 0x17);
  const error = lastTunnelError();
  expect(error.code).toBe('NOT_HTTP');
  // The head reader looked at the first chunk and no further.
  expect(error.received!.length).toBeLessThanOrEqual(CHUNK);
  expect(peakGrowthMiB).toBeLessThan(100);
}, 60_000);

it('100 MB of letters that never end a line: buffered only up to the head limit, then relayed', async () => {
  const { peakGrowthMiB } = await pushThroughTunnel(0x41, 0x41);
  const error = lastTunnelError();
  expect(error.code).toBe('HEAD_TOO_LARGE');
  expect(error.received!.length).toBeLessThanOrEqual(MAX_HEAD_BYTES + CHUNK);
  expect(peakGrowthMiB).toBeLessThan(100);
}, 60_000);
