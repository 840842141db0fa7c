import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import WebSocket from 'ws';
import { createForwardProxy, type ForwardProxy } from '../../src/forward-proxy/server.ts';
import { connection, eventsOf, eventually, exchange, startEcho, type EchoFixture } from '../helpers/net.ts';

let lab: EchoFixture;
let proxy: ForwardProxy;
let proxyPort: number;
/** Targets a test allows besides the echo server (`--forward-proxy-allow`). */
const allowed: string[] = [];
beforeAll(async () => {
  lab = await startEcho();
  proxy = createForwardProxy({ store: lab.store, port: 0, connectTimeoutMs: 1000, allow: { labPorts: () => [lab.port], targets: allowed } });
  proxyPort = await proxy.listen();
});
afterAll(async () => {
  await proxy.close();
  await lab.close();
});

/** CONNECT through the proxy; resolves with the tunnelled socket and the proxy's answer. */
function tunnel(target: string): Promise<{ socket: Socket; head: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(proxyPort, '127.0.0.1');
    socket.on('error', reject);
    socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\nProxy-Connection: keep-alive\r\n\r\n`);
    let text = '';
    const onData = (c: Buffer) => {
      text += c.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end === -1) return;
      socket.removeListener('data', onData);
      resolve({ socket, head: text.slice(0, end) });
    };
    socket.on('data', onData);
  });
}

describe('forward proxy: CONNECT tunnel', () => {
  it('tunnels a WebSocket and files the CONNECT, the handshake and frames under the tunnelled connection', async () => {
    const target = `127.0.0.1:${lab.port}`;
    const { socket, head } = await tunnel(target);
    expect(head).toBe('HTTP/1.1 200 Connection established');
    const url = `ws://${target}/echo?lab=${lab.session}&conn=fp1`;
    const ws = new WebSocket(url, { createConnection: () => socket });
    const echoed = await new Promise<string>((resolve, reject) => {
      ws.on('open', () => ws.send('through the tunnel'));
      ws.on('message', (m) => resolve(m.toString()));
      ws.on('error', reject);
    });
    expect(echoed).toBe('through the tunnel');
    ws.close(1000, 'bye');
    await new Promise((r) => ws.once('close', r));
    const c = await eventually(() => {
      const conn = connection(lab.store, lab.session, 'fp1');
      if (!eventsOf(conn, 'close').some((e) => e.observer === 'forward-proxy')) throw new Error('no close yet');
      return conn;
    });
    expect(c.route).toBe('forward-proxy');
    expect(eventsOf(c, 'connect')[0]).toMatchObject({ target, observer: 'forward-proxy', from: 'browser', to: 'forward-proxy' });
    // The echo server sees the tunnel's far end as the forward proxy.
    const echoRequest = eventsOf(c, 'request').find((e) => e.observer === 'echo');
    expect(echoRequest).toMatchObject({ from: 'forward-proxy', to: 'echo' });
    const proxyFrames = eventsOf(c, 'frame').filter((f) => f.observer === 'forward-proxy');
    expect(proxyFrames.map((f) => [f.from, f.opcode, f.masked])).toEqual([
      ['browser', 1, true],
      ['echo', 1, false],
      ['browser', 8, true],
      ['echo', 8, false],
    ]);
    expect(eventsOf(c, 'close').find((e) => e.observer === 'forward-proxy')).toMatchObject({ code: 1000, reason: 'bye', wasClean: true });
  });

  it('answers 502 naming the error when the tunnelled host refuses', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    allowed.push(`127.0.0.1:${port}`);
    const { text } = await exchange(proxyPort, `CONNECT 127.0.0.1:${port} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    expect(text).toMatch(/^HTTP\/1.1 502 /);
    expect(text).toContain('ECONNREFUSED');
  });

  it('refuses to tunnel anywhere but this machine, and plain proxy requests', async () => {
    const outside = await exchange(proxyPort, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
    expect(outside.text).toMatch(/^HTTP\/1.1 403 /);
    const plain = await exchange(proxyPort, 'GET http://127.0.0.1/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect(plain.text).toMatch(/^HTTP\/1.1 405 /);
    expect(plain.text).toContain('Allow: CONNECT');
  });
});
