// The presets as pure functions: the DESIGN.md table, routing, and the UI's config text.
// server/test/nginx/parity.test.ts holds the same functions against real nginx.

import { describe, expect, it } from 'vitest';
import {
  createPresets,
  findPreset,
  idleTimeoutPreset,
  PRESETS,
  presetInfo,
  upstreamRequest,
  type Preset,
  type UpstreamInput,
} from '../../src/reverse-proxy/presets.ts';
import type { HeaderList } from '../../src/transcript/types.ts';

const preset = (name: string): Preset => {
  const found = PRESETS.find((p) => p.name === name);
  if (!found) throw new Error(`no preset ${name}`);
  return found;
};

/** The handshake Chrome sends, in Chrome's order. */
const CHROME: HeaderList = [
  ['Host', '127.0.0.1:8090'],
  ['Connection', 'Upgrade'],
  ['Pragma', 'no-cache'],
  ['Cache-Control', 'no-cache'],
  ['User-Agent', 'Mozilla/5.0'],
  ['Upgrade', 'websocket'],
  ['Origin', 'http://127.0.0.1:8080'],
  ['Sec-WebSocket-Version', '13'],
  ['Accept-Encoding', 'gzip, deflate, br'],
  ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='],
  ['Sec-WebSocket-Extensions', 'permessage-deflate; client_max_window_bits'],
];
const REST = CHROME.filter(([n]) => !['Host', 'Connection', 'Upgrade'].includes(n));

const input = (over: Partial<UpstreamInput> = {}): UpstreamInput => ({
  method: 'GET',
  target: '/nginx-websocket/chat?lab=s&conn=c',
  httpVersion: '1.1',
  headers: CHROME,
  clientAddress: '127.0.0.1',
  upstreamHost: '127.0.0.1:8089',
  listenPort: 8090,
  ...over,
});

describe('upstream requests (DESIGN.md, measured against nginx 1.22.1)', () => {
  it('nginx-websocket: HTTP/1.1, Upgrade, Connection: upgrade, Host of the upstream, then the rest in order', () => {
    expect(upstreamRequest(preset('nginx-websocket'), input())).toEqual({
      method: 'GET',
      target: '/nginx-websocket/chat?lab=s&conn=c',
      httpVersion: '1.1',
      headers: [['Upgrade', 'websocket'], ['Connection', 'upgrade'], ['Host', '127.0.0.1:8089'], ...REST],
    });
  });

  it('nginx-seed: the upgrade asked for over HTTP/1.0', () => {
    const sent = upstreamRequest(preset('nginx-seed'), input());
    expect(sent.httpVersion).toBe('1.0');
    expect(sent.headers).toEqual([['Upgrade', 'websocket'], ['Connection', 'Upgrade'], ['Host', '127.0.0.1:8089'], ...REST]);
  });

  it('nginx-default: HTTP/1.0, Host, Connection: close, and no Upgrade', () => {
    const sent = upstreamRequest(preset('nginx-default'), input());
    expect(sent.httpVersion).toBe('1.0');
    expect(sent.headers).toEqual([['Host', '127.0.0.1:8089'], ['Connection', 'close'], ...REST]);
  });

  it('nginx-missing-connection: Upgrade, then nginx\'s own Host and Connection: close', () => {
    const sent = upstreamRequest(preset('nginx-missing-connection'), input());
    expect(sent.headers).toEqual([['Upgrade', 'websocket'], ['Host', '127.0.0.1:8089'], ['Connection', 'close'], ...REST]);
  });

  it('nginx-forwarded: $host drops the port, X-Forwarded-For is appended to', () => {
    const headers: HeaderList = [...CHROME, ['X-Forwarded-For', '10.1.2.3'], ['X-Real-IP', '6.6.6.6']];
    const sent = upstreamRequest(preset('nginx-forwarded'), input({ headers, clientAddress: '127.0.0.7' }));
    expect(sent.headers).toEqual([
      ['Upgrade', 'websocket'],
      ['Connection', 'upgrade'],
      ['Host', '127.0.0.1'],
      ['X-Real-IP', '127.0.0.7'],
      ['X-Forwarded-For', '10.1.2.3, 127.0.0.7'],
      ['X-Forwarded-Proto', 'http'],
      ...REST,
    ]);
  });

  it('nginx-forwarded: $connection_upgrade is close without an Upgrade, and $host is empty without a Host', () => {
    const headers = CHROME.filter(([n]) => n !== 'Upgrade' && n !== 'Host');
    const sent = upstreamRequest(preset('nginx-forwarded'), input({ headers, httpVersion: '1.0' }));
    expect(sent.headers.slice(0, 4)).toEqual([
      ['Connection', 'close'],
      ['X-Real-IP', '127.0.0.1'],
      ['X-Forwarded-For', '127.0.0.1'],
      ['X-Forwarded-Proto', 'http'],
    ]);
  });

  it('$host is lower-cased, without port or trailing dot; an absolute-form target wins and goes upstream as a path', () => {
    const host = (h: string, target?: string) =>
      upstreamRequest(preset('nginx-forwarded'), input({ headers: [['Host', h]], ...(target ? { target } : {}) }));
    expect(host('LocalHost:8090').headers).toContainEqual(['Host', 'localhost']);
    expect(host('[::1]:8090').headers).toContainEqual(['Host', '[::1]']);
    expect(host('Example.COM.:80').headers).toContainEqual(['Host', 'example.com']);
    const absolute = host('ignored', 'http://Lab.Test:8090/nginx-forwarded/x?y=1');
    expect(absolute.headers).toContainEqual(['Host', 'lab.test']);
    expect(absolute.target).toBe('/nginx-forwarded/x?y=1');
  });

  it('nginx drops Keep-Alive, TE, Expect and names it cannot accept; forwards Proxy-*, Trailer and Connection-named fields', () => {
    const headers: HeaderList = [
      ['Host', 'h'],
      ['Connection', 'Upgrade, X-Custom'],
      ['Upgrade', 'websocket'],
      ['X-Custom', '1'],
      ['Keep-Alive', 'timeout=5'],
      ['TE', 'trailers'],
      ['Expect', '100-continue'],
      ['X_Underscore', '1'],
      ['X.Dot', '1'],
      ['Proxy-Authorization', 'Basic x'],
      ['Proxy-Connection', 'keep-alive'],
      ['Trailer', 'X-Checksum'],
      ['Content-Length', '0'],
    ];
    expect(upstreamRequest(preset('nginx-websocket'), input({ headers })).headers).toEqual([
      ['Upgrade', 'websocket'],
      ['Connection', 'upgrade'],
      ['Host', '127.0.0.1:8089'],
      ['Content-Length', '0'],
      ['X-Custom', '1'],
      ['Proxy-Authorization', 'Basic x'],
      ['Proxy-Connection', 'keep-alive'],
      ['Trailer', 'X-Checksum'],
    ]);
  });

  it('$proxy_host leaves out port 80', () => {
    expect(upstreamRequest(preset('nginx-default'), input({ upstreamHost: 'echo:80' })).headers[0]).toEqual(['Host', 'echo']);
  });
});

describe('rfc9110-strict upstream request', () => {
  const strict = preset('rfc9110-strict');

  it('passes a clean browser handshake unchanged, over HTTP/1.1', () => {
    expect(upstreamRequest(strict, input())).toEqual({ method: 'GET', target: '/nginx-websocket/chat?lab=s&conn=c', httpVersion: '1.1', headers: CHROME });
  });

  it('drops every hop-by-hop field and every field Connection names, and asks for the upgrade itself (§7.6.1, §7.8)', () => {
    const headers: HeaderList = [
      ['Host', 'lab:8090'],
      ['connection', 'keep-alive, Upgrade, X-Custom'],
      ['Keep-Alive', 'timeout=5'],
      ['upgrade', 'WebSocket/13'],
      ['X-Custom', '1'],
      ['TE', 'trailers'],
      ['Proxy-Connection', 'keep-alive'],
      ['Proxy-Authorization', 'Basic x'],
      ['Trailer', 'X-Checksum'],
      ['Expect', '100-continue'],
      ['X_Underscore', '1'],
    ];
    expect(upstreamRequest(strict, input({ headers })).headers).toEqual([
      ['Host', 'lab:8090'],
      ['Connection', 'Upgrade'],
      ['Upgrade', 'websocket'],
      ['Trailer', 'X-Checksum'],
      ['Expect', '100-continue'],
      ['X_Underscore', '1'],
    ]);
  });

  it('even drops Host when Connection names it: the RFC says any named field', () => {
    const headers: HeaderList = [['Host', 'h'], ['Connection', 'Upgrade, Host'], ['Upgrade', 'websocket']];
    expect(upstreamRequest(strict, input({ headers })).headers).toEqual([['Connection', 'Upgrade'], ['Upgrade', 'websocket']]);
  });

  it('ignores Upgrade in HTTP/1.0, and an Upgrade that Connection does not name; then sends Connection: close', () => {
    const old = upstreamRequest(strict, input({ httpVersion: '1.0' }));
    expect(old.httpVersion).toBe('1.1');
    expect(old.headers).toEqual([['Host', '127.0.0.1:8090'], ['Connection', 'close'], ...REST]);
    const unnamed = upstreamRequest(strict, input({ headers: [['Host', 'h'], ['Upgrade', 'websocket']] }));
    expect(unnamed.headers).toEqual([['Host', 'h'], ['Connection', 'close']]);
  });
});

describe('routing and the UI text', () => {
  it('routes /<preset>/<any path> on the normalized path', () => {
    expect(findPreset('/nginx-seed/chat')?.preset.name).toBe('nginx-seed');
    expect(findPreset('/nginx-seed/chat')?.rest).toBe('/chat');
    expect(findPreset('/nginx-seed/?lab=x')?.rest).toBe('/');
    expect(findPreset('//nginx-forwarded//a/./b')?.preset.name).toBe('nginx-forwarded');
    expect(findPreset('/nginx-seed/../nginx-default/x')?.preset.name).toBe('nginx-default');
    expect(findPreset('/%6Eginx-seed/x')?.preset.name).toBe('nginx-seed');
    expect(findPreset('/nginx-seed')).toBeUndefined();
    expect(findPreset('/nginx-seedling/x')).toBeUndefined();
    expect(findPreset('/')).toBeUndefined();
  });

  it('lists every preset with its description and nginx config', () => {
    const info = presetInfo();
    expect(info.map((p) => p.name)).toEqual([
      'nginx-websocket',
      'nginx-seed',
      'nginx-default',
      'nginx-missing-connection',
      'nginx-forwarded',
      'nginx-idle-timeout',
      'rfc9110-strict',
    ]);
    for (const p of info) {
      expect(p.description).toMatch(/^[A-Z].*\.$/);
      expect(p.nginxConfig).toContain(`location /${p.name}/ {`);
      expect(p.nginxConfig).toContain('proxy_pass http://127.0.0.1:8089;');
    }
    expect(info.find((p) => p.name === 'nginx-forwarded')?.nginxConfig).toMatch(/^map \$http_upgrade \$connection_upgrade \{/);
    expect(presetInfo(PRESETS, '127.0.0.1:4321')[0]?.nginxConfig).toContain('proxy_pass http://127.0.0.1:4321;');
  });

  it('nginx-websocket is written as the DESIGN.md recipe', () => {
    expect(preset('nginx-websocket').nginxLocation).toBe(
      [
        'location /nginx-websocket/ {',
        '    proxy_pass http://127.0.0.1:8089;',
        '    proxy_http_version 1.1;',
        '    proxy_set_header Upgrade $http_upgrade;',
        '    proxy_set_header Connection "upgrade";',
        '}',
      ].join('\n'),
    );
  });

  it('sets the idle timeout, 2 s by default', () => {
    expect(preset('nginx-idle-timeout').idleTimeoutMs).toBe(2000);
    expect(preset('nginx-idle-timeout').nginxLocation).toContain('proxy_read_timeout 2s;');
    const fast = idleTimeoutPreset(1500);
    expect(fast.nginxLocation).toContain('proxy_read_timeout 1500ms;');
    expect(fast.description).toContain('1.5 s');
    expect(createPresets({ idleTimeoutMs: 500 }).find((p) => p.name === 'nginx-idle-timeout')?.idleTimeoutMs).toBe(500);
    expect(() => idleTimeoutPreset(0)).toThrow(RangeError);
  });
});
