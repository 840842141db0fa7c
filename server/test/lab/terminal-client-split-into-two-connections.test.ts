import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../src/lab.ts';
import { DEFAULT_SESSION, type Connection, type Party, type Route } from '../../src/transcript/types.ts';
import { eventually } from '../helpers/net.ts';
import { nginxForTests } from '../nginx/helpers.ts';

// A terminal client (wscat, a hand-written socket) names no session and no connection. Through
// the bundled reverse proxy the proxy filed it under one id and the echo server under another,
// and through the forward proxy the same: two half-connections, each "healthy", neither whole.
// Every hop in front now files the key it saw, and the hop behind finds the connection by it.
// Each case is one raw client: upgrade, one masked text frame echoed, close 1000 both ways.

const nginx = nginxForTests();
let lab: Lab;
beforeAll(async () => {
  lab = await startLab({
    host: '127.0.0.1', uiPort: 0, echoPort: 0, proxyPort: 0, forwardProxyPort: 0,
    ...(nginx === undefined ? {} : { nginxPort: 0, nginxPath: nginx }),
  });
  if (nginx !== undefined && !lab.info().nginx.available) throw new Error(`real nginx did not start: ${lab.info().nginx.reason}`);
}, 30_000);
afterAll(() => lab?.close());

/** A client frame as RFC 6455 §5.3 asks: masked. */
function masked(opcode: number, payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i]! ^= mask[i % 4]!;
  return Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | body.length]), mask, body]);
}

/** Reads until `done` says the bytes so far are enough. */
function readUntil(socket: Socket, done: (received: Buffer) => boolean): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => reject(new Error(`timed out; got ${JSON.stringify(received.toString('latin1'))}`)), 5000);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (!done(received)) return;
      clearTimeout(timer);
      socket.removeListener('data', onData);
      resolve(received);
    };
    socket.on('data', onData);
  });
}

const headEnds = (b: Buffer) => b.includes('\r\n\r\n');

/**
 * A terminal client's WebSocket at `target` on `port` (through a CONNECT to `tunnelTo` when
 * given): no lab=, no conn=. Returns the Sec-WebSocket-Key it sent, new for this connection.
 */
async function terminalClient(port: number, target: string, tunnelTo?: number): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  const host = `127.0.0.1:${tunnelTo ?? port}`;
  if (tunnelTo !== undefined) {
    const established = readUntil(socket, headEnds);
    socket.write(`CONNECT ${host} HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
    expect((await established).toString('latin1')).toMatch(/^HTTP\/1\.1 200 /);
  }
  const key = randomBytes(16).toString('base64');
  const answered = readUntil(socket, headEnds);
  socket.write(`GET ${target} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  const head = (await answered).toString('latin1');
  expect(head).toMatch(/^HTTP\/1\.1 101 /);
  const rest = Buffer.from(head.slice(head.indexOf('\r\n\r\n') + 4), 'latin1');
  // The echo (2 + 5 bytes), then the server's answer to our close (2 + 2 bytes).
  const echoed = readUntil(socket, (b) => Buffer.concat([rest, b]).length >= 7);
  socket.write(masked(0x1, Buffer.from('hello')));
  await echoed;
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.write(masked(0x8, Buffer.from([0x03, 0xe8])));
  await closed;
  return key;
}

/** Every connection of the default session whose requests carry `key`. */
function filedUnder(key: string): Connection[] {
  const transcript = lab.store.read(DEFAULT_SESSION)!;
  return transcript.connections.filter((c) => c.events.some((e) => e.kind === 'request' && e.headers.some(([n, v]) => n.toLowerCase() === 'sec-websocket-key' && v === key)));
}

/** Waits until the echo server's leg has closed, then returns the one connection. */
async function oneConnection(key: string): Promise<Connection> {
  return eventually(() => {
    const found = filedUnder(key);
    if (!found.some((c) => c.events.some((e) => e.kind === 'close' && e.observer === 'echo'))) throw new Error('the echo server has not closed yet');
    expect(found.map((c) => c.id)).toHaveLength(1);
    return found[0]!;
  });
}

/** Who recorded the request, and from whom, in the order the hops saw it. */
const requestPath = (c: Connection) => c.events.filter((e) => e.kind === 'request').map((e) => `${e.observer}: ${e.from} → ${e.to}`);

const CASES: { name: string; route: Route; port: () => number; target: string; tunnelTo?: () => number; path: string[]; peer: Party }[] = [
  { name: 'direct', route: 'direct', port: () => lab.ports.echo, target: '/echo', path: ['echo: browser → echo'], peer: 'browser' },
  {
    name: 'the bundled reverse proxy', route: 'reverse-proxy', port: () => lab.ports.proxy!, target: '/nginx-websocket/echo',
    path: ['reverse-proxy: browser → reverse-proxy', 'reverse-proxy: reverse-proxy → echo', 'echo: reverse-proxy → echo'], peer: 'reverse-proxy',
  },
  {
    name: 'the forward proxy', route: 'forward-proxy', port: () => lab.ports.forwardProxy!, tunnelTo: () => lab.ports.echo, target: '/echo',
    path: ['forward-proxy: browser → echo', 'echo: forward-proxy → echo'], peer: 'forward-proxy',
  },
  {
    name: 'the forward proxy, tunnelling to the reverse proxy', route: 'forward-proxy', port: () => lab.ports.forwardProxy!, tunnelTo: () => lab.ports.proxy!,
    target: '/nginx-websocket/echo',
    path: ['forward-proxy: browser → reverse-proxy', 'reverse-proxy: forward-proxy → reverse-proxy', 'reverse-proxy: reverse-proxy → echo', 'echo: reverse-proxy → echo'],
    peer: 'reverse-proxy',
  },
];

describe('a terminal client without lab= or conn= is one connection on every route', () => {
  it.each(CASES)('$name', async ({ route, port, target, tunnelTo, path, peer }) => {
    const key = await terminalClient(port(), target, tunnelTo?.());
    const c = await oneConnection(key);
    expect(c.route).toBe(route);
    expect(c.chosenRoute).toBeUndefined();
    expect(requestPath(c)).toEqual(path);
    expect(c.events.find((e) => e.kind === 'request' && e.observer === 'echo')?.from).toBe(peer);
    expect(c.events.filter((e) => e.kind === 'close').every((e) => e.kind === 'close' && e.wasClean)).toBe(true);
  });

  it.runIf(nginx !== undefined)('real nginx', async () => {
    const key = await terminalClient(lab.ports.nginx!, '/nginx-websocket/echo');
    const c = await oneConnection(key);
    expect(c).toMatchObject({ route: 'nginx', preset: 'nginx-websocket' });
    expect(requestPath(c)).toEqual(['nginx: browser → nginx', 'echo: nginx → echo']);
  });
});
