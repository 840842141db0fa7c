// The bundled proxy's presets against real nginx 1.22: for every preset and every request
// variant, `upstreamRequest` must produce the exact bytes nginx sent upstream, and
// `downstreamResponse` the exact head (and content) nginx sent the browser.
//
// Named exceptions, and only these:
// - Server: nginx says `nginx/<version>`, the bundled proxy `websocket-upgrade-lab`. The
//   comparison passes nginx's value in, and a test below pins the lab's own.
// - Date: the clock. The comparison passes nginx's value in.
// - rfc9110-strict: nginx cannot do it. Its nginx config is held to exact parity as an
//   nginx preset; where the strict proxy must differ from it is listed in STRICT_DIFFERS.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNginx, type RunningNginx } from '../../src/nginx/process.ts';
import {
  downstreamResponse,
  LAB_SERVER,
  PRESETS,
  upstreamRequest,
  type Preset,
  type UpstreamInput,
} from '../../src/reverse-proxy/presets.ts';
import type { HeaderList } from '../../src/transcript/types.ts';
import { serializeRequestHead, serializeResponseHead } from '../../src/wire/http-head.ts';
import { exchange, nginxForTests, rawRequest, startCaptureServer, type CaptureServer } from './helpers.ts';
import { createReverseProxy, type ReverseProxy } from '../../src/reverse-proxy/server.ts';
import { MemoryTranscriptStore } from '../../src/transcript/store.ts';

const nginxPath = nginxForTests();

const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

interface Variant {
  name: string;
  httpVersion?: string;
  /** Query parameters for the capture server (`protocols=`, `deflate=on`, `nolength=1`). */
  query?: string;
  headers: (host: string) => HeaderList;
}

const handshake = (host: string): HeaderList => [
  ['Host', host],
  ['Upgrade', 'websocket'],
  ['Connection', 'Upgrade'],
  ['Sec-WebSocket-Version', '13'],
  ['Sec-WebSocket-Key', KEY],
  ['Sec-WebSocket-Extensions', 'permessage-deflate; client_max_window_bits'],
  ['Origin', 'http://127.0.0.1:8080'],
];
const plus = (...extra: HeaderList) => (host: string): HeaderList => [...handshake(host), ...extra];

const VARIANTS: Variant[] = [
  { name: 'handshake', headers: handshake },
  { name: 'X-Forwarded-For', headers: plus(['X-Forwarded-For', '10.1.2.3']) },
  {
    name: 'Connection naming X-Custom',
    headers: (host) => [...handshake(host).map(([n, v]): [string, string] => (n === 'Connection' ? [n, 'Upgrade, X-Custom'] : [n, v])), ['X-Custom', '1']],
  },
  { name: 'Proxy-Authorization', headers: plus(['Proxy-Authorization', 'Basic bGFiOmxhYg==']) },
  { name: 'Keep-Alive', headers: plus(['Keep-Alive', 'timeout=5']) },
  { name: 'TE', headers: plus(['TE', 'trailers']) },
  { name: 'Proxy-Connection and Trailer', headers: plus(['Proxy-Connection', 'keep-alive'], ['Trailer', 'X-Checksum']) },
  { name: 'invalid header names', headers: plus(['X_Underscore', '1'], ['x-lower', 'kept as sent']) },
  {
    name: 'subprotocol and permessage-deflate accepted',
    query: 'protocols=chat&deflate=on',
    headers: plus(['Sec-WebSocket-Protocol', 'superchat, chat']),
  },
  { name: 'HTTP/1.0 browser', httpVersion: '1.0', headers: handshake },
  { name: 'no Upgrade: refused', headers: (host) => handshake(host).filter(([n]) => n !== 'Upgrade') },
  { name: 'refused without a length', query: 'nolength=1', headers: (host) => handshake(host).filter(([n]) => n !== 'Upgrade') },
];

/**
 * Where the strict proxy must differ from its nearest nginx config, and why. Any variant not
 * listed here must come out identical.
 */
const STRICT_DIFFERS: Record<string, string> = {
  'Connection naming X-Custom': 'RFC 9110 §7.6.1: X-Custom is named in Connection, so it is hop-by-hop; nginx forwards it',
  'invalid header names': "RFC 9110 §5.1: '_' is a token character, so X_Underscore is a field to forward; nginx ignores it (ignore_invalid_headers)",
  'HTTP/1.0 browser': 'RFC 9110 §7.8: a server must ignore Upgrade in an HTTP/1.0 request; nginx asks upstream for the upgrade anyway',
};

/** The strict preset's nginx config, as nginx itself runs it. */
const asNginx = (preset: Preset): Preset => ({ ...preset, behaviour: 'nginx' });

describe.skipIf(nginxPath === undefined)('presets match real nginx', () => {
  let capture: CaptureServer;
  let nginx: RunningNginx;
  let conn = 0;

  beforeAll(async () => {
    capture = await startCaptureServer();
    nginx = await startNginx({ nginxPath, listenPort: 0, upstreamPort: capture.port, presets: PRESETS });
  });
  afterAll(async () => {
    await nginx?.stop();
    await capture?.close();
  });

  async function roundTrip(preset: Preset, variant: Variant) {
    const id = `c${++conn}`;
    const target = `/${preset.name}/chat?lab=parity&conn=${id}${variant.query ? `&${variant.query}` : ''}`;
    const httpVersion = variant.httpVersion ?? '1.1';
    const headers = variant.headers(`127.0.0.1:${nginx.port}`);
    const got = await exchange(nginx.port, rawRequest('GET', target, httpVersion, headers));
    got.socket.destroy();
    const upstream = capture.byConn(id);
    if (upstream === undefined) throw new Error(`nginx sent nothing upstream for ${preset.name} / ${variant.name}`);
    const input: UpstreamInput = {
      method: 'GET',
      target,
      httpVersion,
      headers,
      clientAddress: '127.0.0.1',
      upstreamHost: `127.0.0.1:${capture.port}`,
      listenPort: nginx.port,
    };
    const header = (name: string) => got.response.headers.find(([n]) => n === name)?.[1] ?? '';
    return { got, upstream, input, date: header('Date'), server: header('Server') };
  }

  for (const preset of PRESETS) {
    describe(preset.name, () => {
      it.each(VARIANTS)('$name', async (variant) => {
        const { got, upstream, input, date, server } = await roundTrip(preset, variant);
        const nginxSide = asNginx(preset);

        expect(serializeRequestHead(upstreamRequest(nginxSide, input))).toBe(upstream.raw);

        const expected = downstreamResponse(nginxSide, upstream.response, { date, server, request: input });
        expect(serializeResponseHead(expected)).toBe(got.raw);
        expect(expected.body ?? '').toBe(got.body);
        expect(server).toBe(`nginx/${nginx.version}`);

        if (preset.behaviour !== 'rfc9110-strict') return;
        const strict = serializeRequestHead(upstreamRequest(preset, input));
        if (variant.name in STRICT_DIFFERS) expect(strict, STRICT_DIFFERS[variant.name]).not.toBe(upstream.raw);
        else expect(strict).toBe(upstream.raw);
        // On the way back the strict proxy is transparent but for its own control options: a 426's
        // Upgrade must be named in Connection (RFC 9110 §7.8), which the echo server does not do.
        const relayed = upstream.response.status === 426 ? upstream.responseRaw.replace('Connection: close', 'Connection: Upgrade, close') : upstream.responseRaw;
        expect(serializeResponseHead(downstreamResponse(preset, upstream.response, { date, request: input }))).toBe(relayed);
      });
    });
  }

  it('reaches the upgrade only where the preset says it does', async () => {
    for (const preset of PRESETS) {
      const { got } = await roundTrip(preset, VARIANTS[0]!);
      expect([preset.name, got.response.status]).toEqual([preset.name, preset.upgrades ? 101 : 426]);
    }
  });

  it('what nginx does with the fields RFC 9110 §7.6.1 calls hop-by-hop', async () => {
    const websocket = PRESETS.find((p) => p.name === 'nginx-websocket')!;
    const named = await roundTrip(websocket, VARIANTS[2]!);
    expect(named.upstream.raw).toContain('\r\nX-Custom: 1\r\n');
    const legacy = await roundTrip(websocket, VARIANTS[6]!);
    expect(legacy.upstream.raw).toContain('\r\nProxy-Connection: keep-alive\r\n');
    expect(legacy.upstream.raw).toContain('\r\nTrailer: X-Checksum\r\n');
    const auth = await roundTrip(websocket, VARIANTS[3]!);
    expect(auth.upstream.raw).toContain('\r\nProxy-Authorization: Basic bGFiOmxhYg==\r\n');
    const keepAlive = await roundTrip(websocket, VARIANTS[4]!);
    expect(keepAlive.upstream.raw).not.toMatch(/keep-alive:/i);
    const te = await roundTrip(websocket, VARIANTS[5]!);
    expect(te.upstream.raw).not.toMatch(/\r\nTE:/i);
  });

  it('passes Sec-WebSocket-Protocol and Sec-WebSocket-Extensions of a 101 through unchanged', async () => {
    const websocket = PRESETS.find((p) => p.name === 'nginx-websocket')!;
    const { got } = await roundTrip(websocket, VARIANTS[8]!);
    expect(got.response.headers.slice(2)).toEqual([
      ['Connection', 'upgrade'],
      ['Upgrade', 'websocket'],
      ['Sec-WebSocket-Accept', 's3pPLMBiTxaQ9kYGzzhZRbK+xOo='],
      ['Sec-WebSocket-Protocol', 'chat'],
      ['Sec-WebSocket-Extensions', 'permessage-deflate'],
    ]);
  });

  it('the bundled proxy names itself where nginx does', () => {
    const preset = PRESETS[0]!;
    const response = downstreamResponse(preset, { status: 101, reason: 'Switching Protocols', httpVersion: '1.1', headers: [] }, { date: 'x' });
    expect(response.headers[0]).toEqual(['Server', LAB_SERVER]);
  });

  it('nginx-idle-timeout: nginx cuts an idle tunnel after proxy_read_timeout, without a close frame', async () => {
    const preset = PRESETS.find((p) => p.name === 'nginx-idle-timeout')!;
    const { got, upstream } = await roundTrip(preset, VARIANTS[0]!);
    // roundTrip destroyed the client; open a tunnel that stays open.
    await upstream.closed;
    const id = `idle${++conn}`;
    const tunnel = await exchange(nginx.port, rawRequest('GET', `/${preset.name}/idle?conn=${id}`, '1.1', handshake(`127.0.0.1:${nginx.port}`)));
    expect(got.response.status).toBe(101);
    expect(tunnel.response.status).toBe(101);
    const closedAfter = await tunnel.closedAfter;
    const timeout = preset.idleTimeoutMs ?? 0;
    expect(closedAfter).toBeGreaterThanOrEqual(timeout - 100);
    expect(closedAfter).toBeLessThan(timeout + 1500);
    expect(tunnel.tunnelBytes()).toBe(0);
    await capture.byConn(id)?.closed;
    expect(nginx.errorLog()).toMatch(/upstream timed out/);
  });
});

/**
 * Bytes a browser never sends but a hostile or careless client does. Each goes, byte for byte,
 * to real nginx and to the bundled proxy, both in front of the same capture server: the
 * status must match, and where nginx forwards the request, the bytes that reach upstream must
 * be the same. `answer` is what nginx 1.22.1 was measured to do, so a change in either is seen.
 */
interface RawVariant {
  name: string;
  preset: string;
  answer: 101 | 400;
  /** The raw request; `target` is the path with the lab's query, `host` the listener's host:port. */
  bytes: (target: string, host: string) => string;
}

const upgradeLines = (host: string) => [`Host: ${host}`, 'Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Version: 13', `Sec-WebSocket-Key: ${KEY}`];
const raw = (target: string, host: string, extra: string[], eol = '\r\n') => [`GET ${target} HTTP/1.1`, ...upgradeLines(host), ...extra].join(eol) + eol + eol;

const RAW_VARIANTS: RawVariant[] = [
  { name: 'NUL in a header value', preset: 'nginx-websocket', answer: 400, bytes: (t, h) => raw(t, h, ['X-A: a\0b']) },
  { name: 'NUL in a header name', preset: 'nginx-websocket', answer: 400, bytes: (t, h) => raw(t, h, ['X-\0A: ab']) },
  { name: 'NUL in the request target', preset: 'nginx-websocket', answer: 400, bytes: (t, h) => raw(`${t}&a=\0`, h, []) },
  { name: 'a bare CR inside a value', preset: 'nginx-websocket', answer: 400, bytes: (t, h) => raw(t, h, ['X-A: foo\rbar']) },
  { name: 'a bare LF inside a value splits it into two fields', preset: 'nginx-websocket', answer: 101, bytes: (t, h) => raw(t, h, ['X-A: foo\nbar', 'X-B: 2']) },
  { name: 'a bare LF before another field', preset: 'nginx-websocket', answer: 101, bytes: (t, h) => raw(t, h, ['X-A: foo\nY-Z: bar']) },
  { name: 'a line without a colon is a field with an empty value', preset: 'nginx-websocket', answer: 101, bytes: (t, h) => raw(t, h, ['justaname', 'X-B: 2']) },
  { name: 'bare-LF line endings', preset: 'nginx-websocket', answer: 101, bytes: (t, h) => raw(t, h, ['X-A: 1'], '\n') },
  {
    name: 'CRLF and bare LF mixed',
    preset: 'nginx-websocket',
    answer: 101,
    bytes: (t, h) => `GET ${t} HTTP/1.1\r\nHost: ${h}\nUpgrade: websocket\r\nConnection: Upgrade\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${KEY}\n\r\n`,
  },
  { name: 'an absolute-URI target', preset: 'nginx-websocket', answer: 101, bytes: (t, h) => raw(`http://example.test:1234${t}`, h, []) },
  { name: 'an absolute-URI target names $host', preset: 'nginx-forwarded', answer: 101, bytes: (t, h) => raw(`HTTP://Example.TEST:99${t}`, h, []) },
  { name: 'userinfo in an absolute-URI target', preset: 'nginx-websocket', answer: 400, bytes: (t, h) => raw(`http://u@example.test${t}`, h, []) },
  { name: 'obs-fold with a space', preset: 'nginx-websocket', answer: 400, bytes: (t, h) => raw(t, h, ['X-A: foo', ' bar', 'X-B: 2']) },
  { name: 'obs-fold with a tab', preset: 'nginx-websocket', answer: 400, bytes: (t, h) => raw(t, h, ['X-A: foo', '\tbar', 'X-B: 2']) },
  { name: 'a space before the colon', preset: 'nginx-websocket', answer: 400, bytes: (t, h) => raw(t, h, ['X-A : ab']) },
  { name: 'a control byte in a value is passed on', preset: 'nginx-websocket', answer: 101, bytes: (t, h) => raw(t, h, ['X-A: a\x01b', 'X-D: a\x7fb']) },
  { name: 'names nginx ignores: . @ and high bytes', preset: 'nginx-websocket', answer: 101, bytes: (t, h) => raw(t, h, ['X.A: 1', 'X@A: 2', 'X\xe9A: 3', 'X-B: 4']) },
  { name: 'leading and trailing whitespace in values', preset: 'nginx-websocket', answer: 101, bytes: (t, h) => raw(t, h, ['X-A:   foo   ', 'X-B: foo \t ', 'X-C:\t foo', 'X-D:']) },
  { name: 'empty lines before the request line', preset: 'nginx-websocket', answer: 101, bytes: (t, h) => `\r\n${raw(t, h, [])}` },
  { name: 'no Host in an HTTP/1.1 request', preset: 'nginx-websocket', answer: 400, bytes: (t, h) => raw(t, h, []).replace(/Host: [^\r]*\r\n/, '') },
  { name: 'two Host fields', preset: 'nginx-websocket', answer: 400, bytes: (t, h) => raw(t, h, [`Host: ${h}`]) },
];

describe.skipIf(nginxPath === undefined)('bad header bytes: the bundled proxy does what nginx does', () => {
  let capture: CaptureServer;
  let nginx: RunningNginx;
  let proxy: ReverseProxy;
  let proxyPort: number;
  let conn = 0;

  beforeAll(async () => {
    capture = await startCaptureServer();
    nginx = await startNginx({ nginxPath, listenPort: 0, upstreamPort: capture.port, presets: PRESETS });
    proxy = createReverseProxy({ store: new MemoryTranscriptStore(), upstream: { host: '127.0.0.1', port: capture.port }, port: 0 });
    proxyPort = await proxy.listen();
  });
  afterAll(async () => {
    await proxy?.close();
    await nginx?.stop();
    await capture?.close();
  });

  /** Sends the variant to one listener; resolves with its status and the bytes that reached upstream (conn id normalized). */
  async function through(port: number, variant: RawVariant, id: string) {
    const target = `/${variant.preset}/chat?conn=${id}`;
    const got = await exchange(port, variant.bytes(target, `127.0.0.1:${port}`), 4000, 'latin1');
    got.socket.destroy();
    const upstream = capture.byConn(id)?.raw.replace(`conn=${id}`, 'conn=ID').replace(`127.0.0.1:${port}`, '127.0.0.1:LISTENER');
    return { status: got.response.status, upstream };
  }

  it.each(RAW_VARIANTS)('$name', async (variant) => {
    const n = ++conn;
    const real = await through(nginx.port, variant, `n${n}`);
    const bundled = await through(proxyPort, variant, `b${n}`);
    expect(real.status, 'nginx 1.22.1 as measured').toBe(variant.answer);
    expect(bundled.status).toBe(real.status);
    expect(bundled.upstream).toBe(real.upstream);
    if (variant.answer === 400) expect(real.upstream).toBeUndefined();
  });
});
