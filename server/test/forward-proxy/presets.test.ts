import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { createForwardProxy, type ForwardProxy } from '../../src/forward-proxy/server.ts';
import type { ForwardProxyPresetName } from '../../src/forward-proxy/presets.ts';
import { connection, eventsOf, eventually, exchange, responseHead, startEcho, upgradeRequest, type EchoFixture } from '../helpers/net.ts';

// Each corporate proxy's behaviour, driven with raw sockets: what it refuses, what it cuts, what it forwards.

let lab: EchoFixture;
let tlsStandIn: Server;
let tlsPort: number;
const proxies = new Map<ForwardProxyPresetName, { proxy: ForwardProxy; port: number }>();

beforeAll(async () => {
  lab = await startEcho();
  // A listener that answers nothing: stands in for the lab's TLS port (443-like) in these tests.
  tlsStandIn = createServer((s) => s.on('error', () => {}));
  await new Promise<void>((r) => tlsStandIn.listen(0, '127.0.0.1', r));
  tlsPort = (tlsStandIn.address() as AddressInfo).port;
  for (const preset of ['connect-443-only', 'tls-only', 'http-only'] as const) {
    const proxy = createForwardProxy({ store: lab.store, port: 0, preset, tlsPorts: () => [tlsPort], allow: { labPorts: () => [lab.port, tlsPort] } });
    proxies.set(preset, { proxy, port: await proxy.listen() });
  }
});
afterAll(async () => {
  for (const { proxy } of proxies.values()) await proxy.close();
  await new Promise((r) => tlsStandIn.close(r));
  await lab.close();
});

const portOf = (preset: ForwardProxyPresetName) => proxies.get(preset)!.port;
const connectRequest = (target: string) => `CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\nProxy-Connection: keep-alive\r\n\r\n`;

/** The connections filed under `default` whose error carries `code`. */
function refusalsIn(code: string) {
  return (lab.store.read('default')?.connections ?? []).filter((c) => eventsOf(c, 'error').some((e) => e.code === code));
}

describe('forward-proxy presets', () => {
  it('connect-443-only refuses CONNECT to a port other than 443 or the lab TLS ports with 403, and records it', async () => {
    const before = refusalsIn('CONNECT_PORT_NOT_ALLOWED').length;
    const { text } = await exchange(portOf('connect-443-only'), connectRequest(`127.0.0.1:${lab.port}`));
    expect(text).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);
    expect(text).toContain(`CONNECT to port ${lab.port} refused: only port 443`);
    const [c] = refusalsIn('CONNECT_PORT_NOT_ALLOWED').slice(before);
    expect(c?.route).toBe('forward-proxy');
    expect(c?.preset).toBe('connect-443-only');
    expect(eventsOf(c!, 'connect')[0]?.target).toBe(`127.0.0.1:${lab.port}`);
  });

  it('connect-443-only tunnels to a TLS port that stands in for 443', async () => {
    const { head, socket } = await responseHead(portOf('connect-443-only'), connectRequest(`127.0.0.1:${tlsPort}`));
    socket.destroy();
    expect(head).toBe('HTTP/1.1 200 Connection established');
  });

  it('connect-443-only still keeps the allowlist: port 443 of another machine is refused', async () => {
    const { text } = await exchange(portOf('connect-443-only'), connectRequest('198.51.100.7:443'));
    expect(text).toMatch(/^HTTP\/1\.1 403 /);
    expect(text).toContain('is not this machine');
  });

  it('tls-only cuts a tunnel whose first bytes are an HTTP request, files it under the session the request names, and relays nothing', async () => {
    const target = `127.0.0.1:${lab.port}`;
    const { head, socket } = await responseHead(portOf('tls-only'), connectRequest(target));
    expect(head).toBe('HTTP/1.1 200 Connection established');
    const closed = new Promise<Buffer>((resolve) => {
      const got: Buffer[] = [];
      socket.on('data', (c: Buffer) => got.push(c));
      socket.on('close', () => resolve(Buffer.concat(got)));
    });
    socket.write(upgradeRequest(`/echo?lab=${lab.session}&conn=tls1`, lab.port));
    const after = await closed;
    // Nothing after the 200: the echo server never answered, because it was never sent the request.
    expect(after.length).toBe(0);
    const c = await eventually(() => {
      const found = connection(lab.store, lab.session, 'tls1');
      if (!eventsOf(found, 'error').length) throw new Error('no error yet');
      return found;
    });
    expect(eventsOf(c, 'error').map((e) => e.code)).toEqual(['NOT_TLS']);
    expect(eventsOf(c, 'error')[0]?.message).toContain('"GET /echo?lab=');
    expect(eventsOf(c, 'request').map((r) => r.observer)).toEqual(['forward-proxy']);
    expect(c.preset).toBe('tls-only');
  });

  it('tls-only relays a tunnel that starts with a TLS record', async () => {
    const received = new Promise<Buffer>((resolve) => tlsStandIn.once('connection', (s) => s.once('data', resolve)));
    const { socket } = await responseHead(portOf('tls-only'), connectRequest(`127.0.0.1:${tlsPort}`));
    // A TLS record header (handshake, version 3.1) and a few bytes: enough for a proxy that only peeks.
    const hello = Buffer.from('160301000501000001ff', 'hex');
    socket.write(hello);
    expect(await received).toEqual(hello);
    socket.destroy();
  });

  it('http-only refuses CONNECT with 403', async () => {
    const { text } = await exchange(portOf('http-only'), connectRequest(`127.0.0.1:${lab.port}`));
    expect(text).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);
    expect(text).toContain('CONNECT is not allowed here');
  });

  it('http-only forwards an absolute-URI upgrade request without Upgrade, so the echo server refuses it', async () => {
    const target = `http://127.0.0.1:${lab.port}/echo?lab=${lab.session}&conn=plain1`;
    const request = upgradeRequest(target, lab.port, ['Proxy-Connection: keep-alive']);
    const { text } = await exchange(portOf('http-only'), request);
    expect(text).toMatch(/^HTTP\/1\.1 426 /);
    const c = await eventually(() => {
      const found = connection(lab.store, lab.session, 'plain1');
      if (!eventsOf(found, 'request').some((r) => r.observer === 'echo')) throw new Error('echo has not seen it yet');
      return found;
    });
    const [received, sent, atEcho] = eventsOf(c, 'request');
    expect(received).toMatchObject({ observer: 'forward-proxy', from: 'browser', to: 'forward-proxy', target });
    expect(sent).toMatchObject({ observer: 'forward-proxy', from: 'forward-proxy', to: 'echo', target: `/echo?lab=${lab.session}&conn=plain1`, httpVersion: '1.1' });
    const names = sent!.headers.map(([n]) => n.toLowerCase());
    expect(names).not.toContain('upgrade');
    expect(names).not.toContain('proxy-connection');
    expect(sent!.headers).toContainEqual(['Connection', 'close']);
    expect(atEcho).toMatchObject({ observer: 'echo', from: 'forward-proxy' });
    expect(c.preset).toBe('http-only');
  });

  it('http-only keeps the allowlist for plain requests too', async () => {
    const { text } = await exchange(portOf('http-only'), `GET http://127.0.0.1:1/ HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n`);
    expect(text).toMatch(/^HTTP\/1\.1 403 /);
    expect(text).toContain('port 1 is not one of');
  });
});
