import { connect, type Socket } from 'node:net';
import { MemoryTranscriptStore } from '../../src/transcript/store.ts';
import { createEchoServer, type EchoServer } from '../../src/echo/server.ts';
import type { Connection, LabEvent } from '../../src/transcript/types.ts';

export interface EchoFixture {
  store: MemoryTranscriptStore;
  echo: EchoServer;
  port: number;
  session: string;
  close(): Promise<void>;
}

export async function startEcho(options: { maxCapture?: number } = {}): Promise<EchoFixture> {
  const store = new MemoryTranscriptStore();
  const echo = createEchoServer({ store, port: 0, ...options });
  const port = await echo.listen();
  return { store, echo, port, session: store.createSession(), close: () => echo.close() };
}

/** Sends raw bytes on a fresh connection and collects everything until the server closes it. */
export function exchange(port: number, bytes: Buffer | string, options: { endAfterWrite?: boolean; timeoutMs?: number } = {}): Promise<{ text: string; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no close from the server within ${options.timeoutMs ?? 3000} ms; got ${Buffer.concat(chunks).toString('latin1')}`));
    }, options.timeoutMs ?? 3000);
    socket.on('error', () => {}); // ECONNRESET after a refusal is expected
    socket.on('data', (c) => chunks.push(c));
    socket.on('close', () => {
      clearTimeout(timer);
      const all = Buffer.concat(chunks);
      resolve({ text: all.toString('utf8'), bytes: all });
    });
    socket.write(bytes, () => {
      if (options.endAfterWrite) socket.end();
    });
  });
}

/** Sends a request and resolves with the response head as soon as it is complete, leaving the socket open. */
export function responseHead(port: number, request: string): Promise<{ head: string; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no response head within 3 s; got ${JSON.stringify(text)}`)), 3000);
    socket.on('error', () => {});
    socket.on('data', (c: Buffer) => {
      text += c.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end !== -1) {
        clearTimeout(timer);
        resolve({ head: text.slice(0, end), socket });
      }
    });
    socket.write(request);
  });
}

export function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

export function upgradeRequest(target: string, port: number, extra: string[] = [], omit: string[] = []): string {
  const headers = [
    `Host: 127.0.0.1:${port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version: 13',
  ]
    .filter((h) => !omit.some((o) => h.toLowerCase().startsWith(`${o.toLowerCase()}:`)))
    .concat(extra);
  return `GET ${target} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`;
}

export function connection(store: MemoryTranscriptStore, session: string, conn: string): Connection {
  const c = store.read(session)?.connections.find((x) => x.id === conn);
  if (!c) throw new Error(`connection ${conn} not recorded in session ${session}`);
  return c;
}

export function eventsOf<K extends LabEvent['kind']>(c: Connection, kind: K): Extract<LabEvent, { kind: K }>[] {
  return c.events.filter((e): e is Extract<LabEvent, { kind: K }> => e.kind === kind);
}

/** Polls until `check` stops throwing; real sockets need a moment, never a fixed sleep. */
export async function eventually<T>(check: () => T, timeoutMs = 3000): Promise<T> {
  const start = Date.now();
  for (;;) {
    try {
      return check();
    } catch (err) {
      if (Date.now() - start > timeoutMs) throw err;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
