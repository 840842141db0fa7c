import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createForwardProxy, type ForwardProxy } from '../../src/forward-proxy/server.ts';
import { diagnose } from '../../src/diagnose/index.ts';
import { MemoryTranscriptStore } from '../../src/transcript/store.ts';
import { computeAccept } from '../../src/wire/accept.ts';
import { eventually } from '../helpers/net.ts';

// A server the lab does not run, behind the forward proxy: only the proxy's tap sees its
// bytes. Findings name it "the server behind the forward proxy" (not the echo server), and
// none claims that no hop recorded the request. Live sockets: the proxy, a hand-written
// server on loopback, and a client that tunnels with CONNECT as Chrome does.

const store = new MemoryTranscriptStore();
let proxy: ForwardProxy;
let proxyPort: number;
let upstream: Server;
let upstreamPort: number;

/** What the unknown server does after it reads a handshake: its 101 and what follows, as raw bytes. */
const BEHAVIOUR: Record<string, (key: string) => Buffer | undefined> = {
  'hang-up': () => undefined,
  'unknown-extension': (key) => head(key, ['Sec-WebSocket-Extensions: x-webkit-deflate-frame']),
  'reserved-opcode': (key) => Buffer.concat([head(key), Buffer.from('8301', 'hex'), Buffer.from('x')]),
  'close-1005': (key) => Buffer.concat([head(key), Buffer.from('880203ed', 'hex')]),
  'fragmented-ping': (key) => Buffer.concat([head(key), Buffer.from('0902', 'hex'), Buffer.from('hi')]),
};

function head(key: string, extra: string[] = []): Buffer {
  const lines = ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${computeAccept(key)}`, ...extra];
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}

beforeAll(async () => {
  upstream = createServer((socket) => {
    socket.on('error', () => {});
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      if (text.includes('\r\n\r\n')) return; // frames from the client: not read
      text += chunk.toString('latin1');
      if (!text.includes('\r\n\r\n')) return;
      const key = /sec-websocket-key: *(\S+)/i.exec(text)?.[1] ?? '';
      const behaviour = /fault=([a-z0-9-]+)/.exec(text)?.[1] ?? '';
      const answer = BEHAVIOUR[behaviour]!(key);
      if (answer) socket.write(answer);
      else socket.destroy();
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamPort = (upstream.address() as AddressInfo).port;
  // A server of the user's own, named with --forward-proxy-allow.
  proxy = createForwardProxy({ store, port: 0, allow: { labPorts: () => [], targets: [`127.0.0.1:${upstreamPort}`] } });
  proxyPort = await proxy.listen();
});
afterAll(async () => {
  await proxy.close();
  await new Promise((resolve) => upstream.close(resolve));
});

/** Tunnels to the unknown server, sends a browser's handshake, and hangs up once the server has answered. */
async function throughForwardProxy(session: string, conn: string, fault: string) {
  const socket: Socket = connect(proxyPort, '127.0.0.1');
  socket.on('error', () => {});
  const target = `127.0.0.1:${upstreamPort}`;
  socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`);
  let received = '';
  await new Promise<void>((resolve) => {
    let sent = false;
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (!sent && received.includes('\r\n\r\n')) {
        sent = true;
        socket.write(
          `GET /echo?lab=${session}&conn=${conn}&fault=${fault} HTTP/1.1\r\nHost: ${target}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: http://127.0.0.1:8080\r\n' +
            'Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n',
        );
      }
      if (received.split('\r\n\r\n').length > 2 && received.includes('101 Switching')) resolve();
    });
    socket.on('close', () => resolve());
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  socket.destroy();
  // What the UI posts for Chrome, which failed each of these connections.
  const seen = { observer: 'browser', from: 'forward-proxy', to: 'browser' } as const;
  store.append(session, conn, { ...seen, kind: 'error', code: 'error-event', message: 'The browser fired an error event on the WebSocket.' });
  store.append(session, conn, { ...seen, kind: 'close', code: 1006, reason: '', wasClean: false });
  return eventually(() => {
    const connection = store.read(session)!.connections.find((c) => c.id === conn)!;
    if (!connection.events.some((e) => e.kind === 'close' && e.observer === 'browser')) throw new Error('not closed yet');
    if (fault !== 'hang-up' && !connection.events.some((e) => e.kind === 'close' && e.observer === 'forward-proxy')) throw new Error('not closed yet');
    return connection;
  });
}

describe('a server the lab does not run, behind the forward proxy', () => {
  it.each([
    ['unknown-extension', 'unsupported-extension', "The server behind the forward proxy's 101 agreed to the extension x-webkit-deflate-frame"],
    ['reserved-opcode', 'reserved-opcode', 'The server behind the forward proxy sent a frame with opcode 3 (0x3), which is reserved'],
    ['close-1005', 'reserved-close-code', 'The server behind the forward proxy sent a close frame with code 1005'],
    ['fragmented-ping', 'fragmented-control-frame', 'The server behind the forward proxy sent a ping frame with FIN clear'],
  ])('%s: %s, naming that server', async (fault, rule, summary) => {
    const session = store.createSession();
    const connection = await throughForwardProxy(session, `fp-${fault}`, fault);
    expect(connection.route).toBe('forward-proxy');
    const findings = diagnose(connection);
    expect(findings.map((f) => f.rule)).toEqual([rule]);
    expect(findings[0]!.summary.startsWith(summary)).toBe(true);
    const text = JSON.stringify(findings);
    expect(text).not.toContain('echo server');
    expect(text).not.toContain('No hop recorded');
  });
});

it('a server that hangs up without answering: the request was recorded, and the finding says so', async () => {
  const session = store.createSession();
  const connection = await throughForwardProxy(session, 'fp-hang-up', 'hang-up');
  const findings = diagnose(connection);
  expect(findings.map((f) => f.rule)).toEqual(['abnormal-closure']);
  expect(findings[0]!.why).toContain('The hops recorded the request but no answer the browser could accept.');
  expect(findings[0]!.why).not.toContain('No hop recorded the request');
});
