// A WebSocket over HTTP/2 (RFC 8441) cut by the client's RST_STREAM or GOAWAY: the lab's HTTP/2
// listener records either as an `h2-reset` event. A real HTTP/2 client on loopback (Node's own)
// opens the extended CONNECT; Chromium ends its WebSocket streams with END_STREAM, so it sends neither on cue.
import http2, { constants } from 'node:http2';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLab, type Lab } from '../../src/lab.ts';
import { labCertificate } from '../../src/tls/certificate.ts';
import type { LabEvent } from '../../src/transcript/types.ts';

let lab: Lab;
const dataDir = mkdtempSync(join(tmpdir(), 'lab-h2-'));
beforeAll(async () => {
  const tls = { certificate: await labCertificate(dataDir), h2Port: 0 };
  lab = await startLab({ host: '127.0.0.1', uiPort: 0, echoPort: 0, proxyPort: 0, forwardProxyPort: 0, tls });
});
afterAll(async () => {
  await lab.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Opens a WebSocket stream on a new HTTP/2 connection; resolves once the lab answered 200. */
function open(conn: string): Promise<{ client: http2.ClientHttp2Session; stream: http2.ClientHttp2Stream }> {
  const port = lab.ports.h2!;
  const client = http2.connect(`https://127.0.0.1:${port}`, { rejectUnauthorized: false });
  client.on('error', () => {});
  return new Promise((resolve, reject) => {
    client.once('remoteSettings', (settings) => {
      if (!settings.enableConnectProtocol) return reject(new Error('the listener did not advertise SETTINGS_ENABLE_CONNECT_PROTOCOL'));
      const stream = client.request({ ':method': 'CONNECT', ':protocol': 'websocket', ':scheme': 'https', ':path': `/echo?conn=${conn}`, ':authority': `127.0.0.1:${port}`, 'sec-websocket-version': '13' });
      stream.on('error', () => {});
      stream.once('response', (headers) => (headers[':status'] === 200 ? resolve({ client, stream }) : reject(new Error(`status ${headers[':status']}`))));
    });
  });
}

async function eventsOf(conn: string, until: (events: LabEvent[]) => boolean): Promise<LabEvent[]> {
  for (let i = 0; i < 100; i++) {
    const events = lab.store.read('default')?.connections.find((c) => c.id === conn)?.events ?? [];
    if (until(events)) return events;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no h2-reset recorded for ${conn}`);
}

it('RST_STREAM from the client is recorded with its code and stream', async () => {
  const { client, stream } = await open('rst');
  // destroy() resets at once; close(code) would first end the stream (END_STREAM), which the echo answers by ending its side.
  // Node's client resets with INTERNAL_ERROR when a stream is destroyed with an error.
  stream.destroy(new Error('the page went away'));
  const events = await eventsOf('rst', (es) => es.some((e) => e.kind === 'h2-reset'));
  client.close();
  expect(events.slice(0, 2).map((e) => e.kind)).toEqual(['request', 'response']);
  expect(events.filter((e) => e.kind === 'h2-reset')).toMatchObject([{ frame: 'RST_STREAM', streamId: stream.id, errorCode: constants.NGHTTP2_INTERNAL_ERROR, errorName: 'INTERNAL_ERROR', from: 'browser' }]);
});

it('GOAWAY while the stream is open is recorded with its code and last stream id', async () => {
  const { client, stream } = await open('goaway');
  client.goaway(constants.NGHTTP2_ENHANCE_YOUR_CALM, 0);
  const events = await eventsOf('goaway', (es) => es.some((e) => e.kind === 'h2-reset'));
  client.destroy();
  expect(events.find((e) => e.kind === 'h2-reset')).toMatchObject({ frame: 'GOAWAY', streamId: stream.id, errorCode: constants.NGHTTP2_ENHANCE_YOUR_CALM, errorName: 'ENHANCE_YOUR_CALM', lastStreamId: 0 });
});

it('a stream the client ends cleanly leaves no h2-reset', async () => {
  const { client, stream } = await open('clean');
  stream.end();
  await new Promise((r) => stream.once('close', r));
  await new Promise((r) => setTimeout(r, 100));
  client.close();
  const events = lab.store.read('default')?.connections.find((c) => c.id === 'clean')?.events ?? [];
  expect(events.some((e) => e.kind === 'h2-reset')).toBe(false);
});
