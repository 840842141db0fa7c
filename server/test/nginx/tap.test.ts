import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNginxTap, type NginxTap } from '../../src/nginx/tap.ts';
import { readNginxLine } from '../../src/nginx/error-log.ts';
import { PRESETS } from '../../src/reverse-proxy/presets.ts';
import { MemoryTranscriptStore } from '../../src/transcript/store.ts';
import { exchange } from '../helpers/net.ts';

// The tap in front of real nginx when nginx is gone (it exited, or never bound its port): the
// browser gets an answer that says so, and the lab files it under the nginx route.

describe('the nginx tap without nginx behind it', () => {
  const store = new MemoryTranscriptStore();
  let tap: NginxTap;
  let port: number;
  beforeAll(async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const nginxPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    tap = createNginxTap({ store, port: 0, nginx: { host: '127.0.0.1', port: nginxPort }, presets: PRESETS });
    port = await tap.listen();
  });
  afterAll(() => tap.close());

  it('answers 502 saying nginx is not running, and records it on the nginx route', async () => {
    const session = store.createSession();
    const request =
      `GET /nginx-websocket/echo?lab=${session}&conn=gone HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';
    const { text } = await exchange(port, request);
    expect(text).toMatch(/^HTTP\/1\.1 502 Bad Gateway\r\n/);
    expect(text).toContain('nginx tap: could not reach nginx');
    const connection = store.read(session)!.connections[0]!;
    expect(connection).toMatchObject({ id: 'gone', route: 'nginx', preset: 'nginx-websocket' });
    expect(connection.events.map((e) => [e.kind, e.observer, e.from, e.to])).toEqual([
      ['request', 'nginx', 'browser', 'nginx'],
      ['error', 'nginx', 'nginx', 'browser'],
      ['response', 'nginx', 'nginx', 'browser'],
    ]);
  });
});

describe("nginx's error log, in the bundled proxy's words", () => {
  it('reads proxy_read_timeout from the line nginx 1.22 writes when it cuts an idle tunnel', () => {
    const line =
      '2026/12/02 03:06:58 [info] 16949#16949: *2 upstream timed out (110: Connection timed out) while proxying upgraded connection, ' +
      'client: 127.0.0.1, server: , request: "GET /nginx-idle-timeout/echo?lab=x&conn=c1 HTTP/1.1", upstream: "http://127.0.0.1:45577/nginx-idle-timeout/echo?lab=x&conn=c1", host: "127.0.0.1:33089"';
    expect(readNginxLine(line)).toMatchObject({ code: 'PROXY_READ_TIMEOUT' });
  });

  it('reads a refused upstream as ECONNREFUSED, and ignores lines that explain nothing', () => {
    const refused =
      '2026/12/02 03:07:00 [error] 16949#16949: *3 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, ' +
      'server: , request: "GET /nginx-websocket/echo HTTP/1.1", upstream: "http://127.0.0.1:1/nginx-websocket/echo", host: "127.0.0.1:8091"';
    expect(readNginxLine(refused)).toMatchObject({ code: 'ECONNREFUSED' });
    expect(readNginxLine('2026/12/02 03:06:57 [info] 16949#16949: *1 client closed connection while waiting for request, client: 127.0.0.1, server: 127.0.0.1:33089')).toBeUndefined();
  });
});
