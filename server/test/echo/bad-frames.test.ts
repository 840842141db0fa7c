import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { connection, eventsOf, eventually, responseHead, startEcho, upgradeRequest, type EchoFixture } from '../helpers/net.ts';

// Bad frames from a client, over raw sockets: ws closes with the code RFC 6455 prescribes,
// the lab records what arrived, and the process serves the next client.

let lab: EchoFixture;
beforeAll(async () => {
  lab = await startEcho();
});
afterAll(() => lab.close());

async function upgraded(conn: string): Promise<{ socket: Socket; received: () => Buffer }> {
  const { head, socket } = await responseHead(lab.port, upgradeRequest(`/echo?lab=${lab.session}&conn=${conn}`, lab.port));
  expect(head).toMatch(/^HTTP\/1.1 101 /);
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  return { socket, received: () => Buffer.concat(chunks) };
}

const closed = (socket: Socket) => new Promise<void>((r) => (socket.destroyed ? r() : socket.once('close', () => r())));

async function stillServes(): Promise<void> {
  const ws = new WebSocket(`ws://127.0.0.1:${lab.port}/echo`);
  const echoed = await new Promise<string>((resolve, reject) => {
    ws.on('open', () => ws.send('next client'));
    ws.on('message', (m) => resolve(m.toString()));
    ws.on('error', reject);
  });
  ws.close();
  expect(echoed).toBe('next client');
}

/** The close code in the server's close frame, the first frame it sent after the 101. */
function serverCloseCode(bytes: Buffer): number | undefined {
  const at = bytes.indexOf(Buffer.from([0x88]));
  return at === -1 || bytes.length < at + 4 ? undefined : bytes.readUInt16BE(at + 2);
}

describe('bad client frames', () => {
  it('an unmasked client frame → closed 1002, recorded', async () => {
    const { socket, received } = await upgraded('unmasked');
    socket.write(Buffer.from('810548656c6c6f', 'hex'));
    await closed(socket);
    expect(serverCloseCode(received())).toBe(1002);
    const c = await eventually(() => {
      const conn = connection(lab.store, lab.session, 'unmasked');
      if (eventsOf(conn, 'close').length === 0) throw new Error('not closed yet');
      return conn;
    });
    const [frame] = eventsOf(c, 'frame');
    expect(frame).toMatchObject({ from: 'browser', opcode: 1, masked: false, length: 5 });
    expect(Buffer.from(frame!.payload, 'base64').toString()).toBe('Hello');
    expect(eventsOf(c, 'error').map((e) => e.code)).toContain('WS_ERR_EXPECTED_MASK');
    expect(eventsOf(c, 'frame').find((f) => f.from === 'echo' && f.opcode === 8)?.close?.code).toBe(1002);
    await stillServes();
  });

  it('invalid UTF-8 in a text frame → closed 1007, recorded by ws and by the decoder', async () => {
    const { socket, received } = await upgraded('bad-utf8');
    // 0x81 0x82, mask 00000000, payload ff fe: masked with a zero key, so the bytes are as written.
    socket.write(Buffer.from('818200000000fffe', 'hex'));
    await closed(socket);
    expect(serverCloseCode(received())).toBe(1007);
    const c = await eventually(() => {
      const conn = connection(lab.store, lab.session, 'bad-utf8');
      if (eventsOf(conn, 'close').length === 0) throw new Error('not closed yet');
      return conn;
    });
    const codes = eventsOf(c, 'error').map((e) => e.code);
    expect(codes).toContain('INVALID_UTF8');
    expect(codes).toContain('WS_ERR_INVALID_UTF8');
    await stillServes();
  });

  it('a client that vanishes mid-frame → recorded as a truncated frame', async () => {
    const { socket } = await upgraded('mid-frame');
    // A masked text frame announcing 10 bytes, of which only 3 arrive.
    socket.write(Buffer.from('818a01020304' + '496b6f', 'hex'));
    await new Promise((r) => setTimeout(r, 50));
    socket.destroy();
    const c = await eventually(() => {
      const conn = connection(lab.store, lab.session, 'mid-frame');
      if (eventsOf(conn, 'close').length === 0) throw new Error('not closed yet');
      return conn;
    });
    const [frame] = eventsOf(c, 'frame');
    expect(frame).toMatchObject({ length: 10, truncated: true, masked: true, maskKey: '01020304' });
    expect(Buffer.from(frame!.payload, 'base64')).toEqual(Buffer.from([0x49 ^ 1, 0x6b ^ 2, 0x6f ^ 3]));
    expect(eventsOf(c, 'error').map((e) => e.code)).toContain('INCOMPLETE_FRAME');
    expect(eventsOf(c, 'close')[0]).toMatchObject({ code: 1006, wasClean: false });
    await stillServes();
  });
});
