// What a preset answers the browser, as pure functions. The parity test holds the nginx
// presets against real nginx; these pin the cases a raw capture server does not produce.

import { describe, expect, it } from 'vitest';
import {
  downstreamResponse,
  LAB_SERVER,
  PRESETS,
  type Preset,
  type ProxiedResponse,
  type UpstreamInput,
} from '../../src/reverse-proxy/presets.ts';

const preset = (name: string): Preset => PRESETS.find((p) => p.name === name)!;
const nginx = preset('nginx-websocket');
const strict = preset('rfc9110-strict');
const DATE = 'Sat, 21 Nov 2026 22:38:41 GMT';

const request = (over: Partial<UpstreamInput> = {}): UpstreamInput => ({
  method: 'GET',
  target: '/nginx-websocket/chat',
  httpVersion: '1.1',
  headers: [['Host', 'Lab.Test:8091'], ['Connection', 'Upgrade'], ['Upgrade', 'websocket']],
  clientAddress: '127.0.0.1',
  upstreamHost: '127.0.0.1:8089',
  listenPort: 8091,
  ...over,
});

const SWITCHING: ProxiedResponse = {
  status: 101,
  reason: 'Switching Protocols',
  httpVersion: '1.1',
  headers: [
    ['Upgrade', 'websocket'],
    ['Connection', 'Upgrade'],
    ['Sec-WebSocket-Accept', 's3pPLMBiTxaQ9kYGzzhZRbK+xOo='],
    ['Sec-WebSocket-Protocol', 'chat'],
  ],
};

const refusal = (headers: [string, string][], body = 'no\n', status = 426, reason = 'Upgrade Required'): ProxiedResponse => ({
  status,
  reason,
  httpVersion: '1.1',
  headers,
  body,
});

describe('nginx presets answer the browser as nginx 1.22 does', () => {
  it('101: Server, Date, Connection: upgrade, then the upstream fields as sent', () => {
    expect(downstreamResponse(nginx, SWITCHING, { date: DATE })).toEqual({
      status: 101,
      reason: 'Switching Protocols',
      httpVersion: '1.1',
      headers: [
        ['Server', LAB_SERVER],
        ['Date', DATE],
        ['Connection', 'upgrade'],
        ['Upgrade', 'websocket'],
        ['Sec-WebSocket-Accept', 's3pPLMBiTxaQ9kYGzzhZRbK+xOo='],
        ['Sec-WebSocket-Protocol', 'chat'],
      ],
    });
  });

  it('a refusal: its own Date and Server, Content-Type and Content-Length first, keep-alive, the upstream status text', () => {
    const upstream = refusal([
      ['Date', 'Mon, 01 Jan 2001 00:00:00 GMT'],
      ['Server', 'echo'],
      ['Connection', 'close, X-Hop'],
      ['X-Hop', '1'],
      ['Keep-Alive', 'timeout=9'],
      ['Upgrade', 'websocket'],
      ['content-type', 'text/plain; charset=utf-8'],
      ['content-length', '3'],
      ['X-Accel-Buffering', 'no'],
      ['Proxy-Connection', 'x'],
    ], 'no\n', 426, 'Nope');
    expect(downstreamResponse(nginx, upstream, { date: DATE, request: request() })).toEqual({
      status: 426,
      reason: 'Nope',
      httpVersion: '1.1',
      headers: [
        ['Server', LAB_SERVER],
        ['Date', DATE],
        ['Content-Type', 'text/plain; charset=utf-8'],
        ['Content-Length', '3'],
        ['Connection', 'keep-alive'],
        ['X-Hop', '1'],
        ['Upgrade', 'websocket'],
        ['Proxy-Connection', 'x'],
      ],
      body: 'no\n',
    });
  });

  it('no length from upstream: chunked to HTTP/1.1, a close to HTTP/1.0', () => {
    const upstream = refusal([['Content-Type', 'text/plain']]);
    const chunked = downstreamResponse(nginx, upstream, { date: DATE, request: request() });
    expect(chunked.headers.slice(2)).toEqual([['Content-Type', 'text/plain'], ['Transfer-Encoding', 'chunked'], ['Connection', 'keep-alive']]);
    const old = downstreamResponse(nginx, upstream, { date: DATE, request: request({ httpVersion: '1.0', headers: [['Connection', 'keep-alive']] }) });
    expect(old.headers.slice(2)).toEqual([['Content-Type', 'text/plain'], ['Connection', 'close']]);
    expect(old.body).toBe('no\n');
  });

  it('keep-alive follows the first Connection field: "close" anywhere wins; HTTP/1.0 needs "keep-alive"', () => {
    const upstream = refusal([['Content-Length', '3']]);
    const connection = (over: Partial<UpstreamInput>) =>
      downstreamResponse(nginx, upstream, { date: DATE, request: request(over) }).headers.find(([n]) => n === 'Connection')?.[1];
    expect(connection({ headers: [['Connection', 'Upgrade, close']] })).toBe('close');
    expect(connection({ httpVersion: '1.0', headers: [] })).toBe('close');
    expect(connection({ httpVersion: '1.0', headers: [['Connection', 'Keep-Alive']] })).toBe('keep-alive');
  });

  it('HEAD, 204 and 304 carry no content; 204 loses Content-Type and Content-Length', () => {
    const head = downstreamResponse(nginx, refusal([], 'x', 200, 'OK'), { date: DATE, request: request({ method: 'HEAD' }) });
    expect(head.headers.map(([n]) => n)).toEqual(['Server', 'Date', 'Connection']);
    expect(head.body).toBeUndefined();
    const empty = downstreamResponse(nginx, refusal([['Content-Type', 'a/b'], ['Content-Length', '0']], '', 204, 'No Content'), { date: DATE });
    expect(empty.headers.map(([n]) => n)).toEqual(['Server', 'Date', 'Connection']);
  });

  it('proxy_redirect default: Location and Refresh into the upstream are rewritten', () => {
    const upstream = refusal(
      [['X-B', '1'], ['Location', 'http://127.0.0.1:8089/x'], ['Refresh', '5; url=http://127.0.0.1:8089/y'], ['Content-Length', '0']],
      '',
      302,
      'Found',
    );
    expect(downstreamResponse(nginx, upstream, { date: DATE, request: request() }).headers).toEqual([
      ['Server', LAB_SERVER],
      ['Date', DATE],
      ['Content-Length', '0'],
      ['Location', 'http://lab.test:8091/x'],
      ['Connection', 'keep-alive'],
      ['X-B', '1'],
      ['Refresh', '5; url=/y'],
    ]);
    const elsewhere = refusal([['Location', '/z'], ['Content-Length', '0']], '', 302, 'Found');
    expect(downstreamResponse(nginx, elsewhere, { date: DATE, request: request() }).headers.at(-1)).toEqual(['Location', '/z']);
  });
});

describe('rfc9110-strict answers the browser', () => {
  it('relays a clean 101 unchanged', () => {
    expect(downstreamResponse(strict, SWITCHING, { date: DATE })).toEqual(SWITCHING);
  });

  it('drops hop-by-hop fields and Proxy-Authenticate, keeps Date, Server and Trailer, and closes after a refusal', () => {
    const upstream = refusal([
      ['Server', 'echo'],
      ['Connection', 'keep-alive, X-Hop'],
      ['X-Hop', '1'],
      ['Keep-Alive', 'timeout=5'],
      ['Proxy-Authenticate', 'Basic'],
      ['Trailer', 'X-Checksum'],
      ['Transfer-Encoding', 'chunked'],
    ], 'no\n', 403, 'Forbidden');
    expect(downstreamResponse(strict, upstream, { date: DATE })).toEqual({
      status: 403,
      reason: 'Forbidden',
      httpVersion: '1.1',
      headers: [['Server', 'echo'], ['Connection', 'close'], ['Trailer', 'X-Checksum']],
      body: 'no\n',
    });
  });

  it('a 426 keeps its Upgrade, named in Connection (§7.8)', () => {
    const upstream = refusal([['Connection', 'close'], ['Upgrade', 'websocket'], ['Content-Length', '3']]);
    expect(downstreamResponse(strict, upstream, { date: DATE }).headers).toEqual([
      ['Connection', 'Upgrade, close'],
      ['Upgrade', 'websocket'],
      ['Content-Length', '3'],
    ]);
  });
});
