import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type AddressInfo } from 'node:net';
import { createReverseProxy } from '../../src/reverse-proxy/server.ts';
import { MemoryTranscriptStore } from '../../src/transcript/store.ts';
import { headerValue } from '../../src/wire/http-head.ts';
import { connection, eventsOf, eventually, exchange } from '../helpers/net.ts';
import { startProxy, tryOpen, type ProxyFixture } from '../helpers/proxy.ts';

let lab: ProxyFixture;
beforeAll(async () => {
  lab = await startProxy({ idleTimeoutMs: 300 });
});
afterAll(() => lab.close());

const url = (preset: string, conn: string, extra = '') => `ws://127.0.0.1:${lab.proxyPort}/${preset}/echo?lab=${lab.session}&conn=${conn}${extra}`;

describe('reverse proxy presets, end to end', () => {
  it('nginx-websocket upgrades, re-creates Connection and Upgrade, rewrites Host, and records four heads', async () => {
    const outcome = await tryOpen(url('nginx-websocket', 'rp-ok'));
    if (outcome.kind !== 'open') throw new Error(`expected open, got ${JSON.stringify(outcome)}`);
    expect(outcome.headers['server']).toBe('websocket-upgrade-lab');
    outcome.ws.send('via nginx-websocket');
    const echoed = await new Promise<string>((r) => outcome.ws.once('message', (m) => r(m.toString())));
    expect(echoed).toBe('via nginx-websocket');
    outcome.ws.close(1000);
    const c = await eventually(() => {
      const conn = connection(lab.store, lab.session, 'rp-ok');
      if (eventsOf(conn, 'close').length < 3) throw new Error('closes not recorded yet');
      return conn;
    });
    expect(c).toMatchObject({ route: 'reverse-proxy', preset: 'nginx-websocket' });
    const requests = eventsOf(c, 'request').map((r) => `${r.observer}:${r.from}→${r.to} HTTP/${r.httpVersion}`);
    expect(requests).toEqual([
      'reverse-proxy:browser→reverse-proxy HTTP/1.1',
      'reverse-proxy:reverse-proxy→echo HTTP/1.1',
      'echo:reverse-proxy→echo HTTP/1.1',
    ]);
    const [, sent, received] = eventsOf(c, 'request');
    expect(received!.headers).toEqual(sent!.headers);
    expect(sent!.headers.slice(0, 3)).toEqual([
      ['Upgrade', 'websocket'],
      ['Connection', 'upgrade'],
      ['Host', `127.0.0.1:${lab.port}`],
    ]);
    const responses = eventsOf(c, 'response').map((r) => `${r.observer}:${r.from}→${r.to} ${r.status}`);
    expect(responses).toEqual(['echo:echo→reverse-proxy 101', 'reverse-proxy:echo→reverse-proxy 101', 'reverse-proxy:reverse-proxy→browser 101']);
    const frames = eventsOf(c, 'frame').filter((f) => f.opcode === 1).map((f) => `${f.observer}:${f.from}→${f.to}`);
    expect(frames).toContain('reverse-proxy:browser→reverse-proxy');
    expect(frames).toContain('reverse-proxy:reverse-proxy→echo');
    expect(frames).toContain('echo:reverse-proxy→echo');
  });

  it('nginx-default drops Upgrade, so the echo server answers 426 and the proxy relays it and closes both sockets', async () => {
    const outcome = await tryOpen(url('nginx-default', 'rp-default'));
    if (outcome.kind !== 'refused') throw new Error(`expected a refusal, got ${outcome.kind}`);
    expect(outcome.status).toBe(426);
    expect(outcome.body).toContain("missing 'Upgrade' header");
    const c = await eventually(() => {
      const conn = connection(lab.store, lab.session, 'rp-default');
      if (eventsOf(conn, 'response').length < 3) throw new Error('responses not recorded yet');
      return conn;
    });
    const echoGot = eventsOf(c, 'request').find((r) => r.observer === 'echo')!;
    expect(echoGot.httpVersion).toBe('1.0');
    expect(headerValue(echoGot.headers, 'upgrade')).toBeUndefined();
    expect(headerValue(echoGot.headers, 'connection')).toBe('close');
    const toBrowser = eventsOf(c, 'response').find((r) => r.to === 'browser')!;
    expect(toBrowser.status).toBe(426);
    expect(toBrowser.body).toContain("missing 'Upgrade' header");
  });

  it('nginx-idle-timeout cuts an idle tunnel without a close frame; a server heartbeat keeps it open', async () => {
    const idle = await tryOpen(url('nginx-idle-timeout', 'rp-idle'));
    if (idle.kind !== 'open') throw new Error('expected open');
    const started = Date.now();
    const code = await new Promise<number>((r) => idle.ws.once('close', (c) => r(c)));
    expect(code).toBe(1006);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    const cut = await eventually(() => {
      const e = eventsOf(connection(lab.store, lab.session, 'rp-idle'), 'error').find((x) => x.code === 'PROXY_READ_TIMEOUT');
      if (!e) throw new Error('no timeout recorded');
      return e;
    });
    expect(cut.message).toContain('300 ms');

    const kept = await tryOpen(url('nginx-idle-timeout', 'rp-heartbeat', '&heartbeat=100'));
    if (kept.kind !== 'open') throw new Error('expected open');
    let closed = false;
    kept.ws.once('close', () => (closed = true));
    await new Promise((r) => setTimeout(r, 900));
    expect(closed).toBe(false);
    kept.ws.close();
  });

  it('answers a path without a preset with 404 naming the presets', async () => {
    const { text } = await exchange(lab.proxyPort, `GET /nope/echo HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(text).toMatch(/^HTTP\/1.1 404 /);
    expect(text).toContain('nginx-websocket');
  });
});

describe('reverse proxy failures', () => {
  it('answers 502 with a reason when the upstream is down, and records it', async () => {
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const port = (dead.address() as AddressInfo).port;
    await new Promise((r) => dead.close(r));
    const store = new MemoryTranscriptStore();
    const session = store.createSession();
    const proxy = createReverseProxy({ store, upstream: { host: '127.0.0.1', port }, port: 0 });
    const proxyPort = await proxy.listen();
    try {
      const outcome = await tryOpen(`ws://127.0.0.1:${proxyPort}/nginx-websocket/echo?lab=${session}&conn=down`);
      if (outcome.kind !== 'refused') throw new Error(`expected a refusal, got ${outcome.kind}`);
      expect(outcome.status).toBe(502);
      expect(outcome.body).toContain('ECONNREFUSED');
      const c = connection(store, session, 'down');
      expect(eventsOf(c, 'error').some((e) => e.code === 'ECONNREFUSED')).toBe(true);
      expect(eventsOf(c, 'response').at(-1)).toMatchObject({ status: 502, from: 'reverse-proxy', to: 'browser' });
    } finally {
      await proxy.close();
    }
  });
});
