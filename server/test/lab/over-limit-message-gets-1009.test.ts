import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { startLab, type Lab } from '../../src/lab.ts';
import { connection, eventsOf, eventually } from '../helpers/net.ts';

// `ws` kept its 100 MiB maxPayload: four 100 MB frames peaked at 816 MB. The echo server and
// both proxies now accept at most --max-payload (here 64 KiB) and close a larger message with
// 1009, recorded on the connection.

const MAX = 64 * 1024;
let lab: Lab;
let session: string;
beforeAll(async () => {
  lab = await startLab({ host: '127.0.0.1', uiPort: 0, echoPort: 0, proxyPort: 0, forwardProxyPort: 0, maxPayload: MAX });
  session = lab.store.createSession();
});
afterAll(() => lab.close());

/** Opens `url` (over `socket` when given), sends one message of `size` bytes; resolves with the close code the client saw. */
function sendOnce(url: string, size: number, socket?: Socket): Promise<{ code: number; echoed: boolean }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, ...(socket ? { createConnection: () => socket } : {}) });
    let echoed = false;
    ws.on('error', () => {});
    ws.once('open', () => ws.send(Buffer.alloc(size, 0x61)));
    ws.on('message', () => (echoed = true));
    ws.once('close', (code) => resolve({ code, echoed }));
  });
}

function tunnel(): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = connect(lab.ports.forwardProxy!, '127.0.0.1');
    socket.on('error', () => {});
    socket.once('data', () => resolve(socket));
    socket.write(`CONNECT 127.0.0.1:${lab.ports.echo} HTTP/1.1\r\nHost: 127.0.0.1:${lab.ports.echo}\r\n\r\n`);
  });
}

describe('a message over --max-payload is closed with 1009 on every route', () => {
  it('direct: the echo server closes with 1009', async () => {
    expect(await sendOnce(`ws://127.0.0.1:${lab.ports.echo}/echo?lab=${session}&conn=big-direct`, MAX + 1)).toEqual({ code: 1009, echoed: false });
    const c = await eventually(() => {
      const x = connection(lab.store, session, 'big-direct');
      if (!eventsOf(x, 'close').length) throw new Error('not closed yet');
      return x;
    });
    expect(eventsOf(c, 'error').map((e) => e.code)).toContain('WS_ERR_UNSUPPORTED_MESSAGE_LENGTH');
    expect(eventsOf(c, 'frame').find((f) => f.opcode === 8)?.close?.code).toBe(1009);
  });

  it('a message at the limit is still echoed', async () => {
    const small = new WebSocket(`ws://127.0.0.1:${lab.ports.echo}/echo?conn=at-limit`, { perMessageDeflate: false });
    await new Promise((r) => small.once('open', r));
    const echoed = new Promise<Buffer>((r) => small.once('message', (m) => r(m as Buffer)));
    small.send(Buffer.alloc(MAX, 0x61));
    expect((await echoed).length).toBe(MAX);
    small.close();
  });

  it('through the reverse proxy: the proxy closes the browser with 1009 and never relays the message', async () => {
    const { code } = await sendOnce(`ws://127.0.0.1:${lab.ports.proxy}/nginx-websocket/echo?lab=${session}&conn=big-proxy`, 4 * MAX);
    expect(code).toBe(1009);
    const c = await eventually(() => {
      const x = connection(lab.store, session, 'big-proxy');
      if (eventsOf(x, 'close').length < 2) throw new Error('not closed yet');
      return x;
    });
    expect(eventsOf(c, 'error').filter((e) => e.code === 'MESSAGE_TOO_BIG').map((e) => e.observer)).toEqual(['reverse-proxy']);
    // The echo server saw no byte of the message, only the proxy's 1001.
    const atEcho = eventsOf(c, 'frame').filter((f) => f.observer === 'echo');
    expect(atEcho.map((f) => [f.from, f.opcode, f.close?.code])).toEqual([
      ['reverse-proxy', 8, 1001],
      ['echo', 8, 1001],
    ]);
  });

  it('through the forward proxy: the proxy closes the browser with 1009', async () => {
    const { code } = await sendOnce(`ws://127.0.0.1:${lab.ports.echo}/echo?lab=${session}&conn=big-tunnel`, 4 * MAX, await tunnel());
    expect(code).toBe(1009);
    const c = connection(lab.store, session, 'big-tunnel');
    expect(eventsOf(c, 'error').some((e) => e.code === 'MESSAGE_TOO_BIG' && e.observer === 'forward-proxy')).toBe(true);
  });
});
